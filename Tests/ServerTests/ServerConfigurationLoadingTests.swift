import BackchannelServer
import Testing

/// `ServerConfiguration.load`: one table of keys judges the file, the environment and the flags alike.
@Suite struct ServerConfigurationLoadingTests {
    static func load(
        file: String? = nil, environment: [String: String] = [:], flags: [(String, String, String)] = []
    ) throws(ConfigurationError) -> (configuration: ServerConfiguration, warnings: [String]) {
        try ServerConfiguration.load(
            .init(
                file: file.map { ("backchannel.json", Array($0.utf8)) }, environment: environment,
                flags: flags.map { (flag: $0.0, key: $0.1, value: $0.2) }))
    }

    static func problem(
        file: String? = nil, environment: [String: String] = [:], flags: [(String, String, String)] = []
    ) -> String {
        do {
            _ = try self.load(file: file, environment: environment, flags: flags)
            return "no problem"
        } catch {
            return error.description
        }
    }

    @Test func flagsWinOverTheEnvironmentWhichWinsOverTheFile() throws {
        let file = #"{"port": 1, "threads": 3, "data": {"dir": "/from/file"}, "origins": {"allowed": ["https://a.example"]}}"#
        let (configuration, warnings) = try Self.load(
            file: file, environment: ["BACKCHANNEL_PORT": "2", "BACKCHANNEL_THREADS": "4", "BACKCHANNEL_LOG_FORMAT": "json"],
            flags: [("--port", "port", "3")])
        #expect(configuration.port == 3)
        #expect(configuration.threads == 4)
        #expect(configuration.dataDirectory == "/from/file")
        #expect(configuration.allowedOrigins == ["https://a.example"])
        #expect(configuration.logFormat == .json)
        #expect(warnings.isEmpty)
    }

    @Test func theSameRuleHoldsInEverySource() {
        #expect(Self.problem(file: #"{"port": 70000}"#) == "backchannel.json, line 1: port: 70000 is out of range for port (0 to 65535)")
        #expect(Self.problem(environment: ["BACKCHANNEL_PORT": "70000"]) == "BACKCHANNEL_PORT: 70000 is out of range for port (0 to 65535)")
        #expect(Self.problem(flags: [("--port", "port", "70000")]) == "--port: 70000 is out of range for port (0 to 65535)")
    }

    @Test func aBadValueIsAnErrorEvenWhenAHigherSourceOverridesIt() {
        #expect(Self.problem(file: #"{"port": "abc"}"#, flags: [("--port", "port", "8080")]).contains("port: expected a whole number"))
    }

    @Test func everyProblemIsReportedAtOnce() {
        let problems = Self.problem(file: #"{"threads": 0, "colour": "blue"}"#, environment: ["BACKCHANNEL_ECHO": "sure"])
        #expect(problems.split(separator: "\n").count == 3, "\(problems)")
    }

    @Test func unknownKeysSuggestTheClosestOne() {
        #expect(Self.problem(file: #"{"prot": 1}"#).contains(#"unknown key "prot"; did you mean "port"?"#))
        #expect(Self.problem(file: #"{"log": {"levle": "info"}}"#).contains(#"did you mean "log.level"?"#))
        #expect(Self.problem(file: #"{"max": {"body": {"bytes": 5000}}}"#).contains(#"did you mean "http.max.body.bytes"?"#))
        #expect(Self.problem(file: #"{"colour": "blue"}"#).contains(#"unknown key "colour"; see the Configuration table"#))
        #expect(Self.problem(file: #"{"http": 5}"#).contains(#"unknown key "http""#))
    }

    @Test func anUnknownEnvironmentVariableNearAKeyIsAWarning() throws {
        let (_, warnings) = try Self.load(environment: ["BACKCHANNEL_THREDS": "2", "BACKCHANNEL_BINARY": "/x", "PATH": "/bin"])
        #expect(warnings == ["BACKCHANNEL_THREDS is not a configuration variable and is ignored; did you mean BACKCHANNEL_THREADS?"])
    }

    @Test func emptyVariablesAndNullsMeanUnset() throws {
        let (configuration, _) = try Self.load(file: #"{"threads": null}"#, environment: ["BACKCHANNEL_ADMIN_TOKEN": ""])
        #expect(configuration.threads == nil)
        #expect(configuration.adminToken == nil)
    }

    @Test func typesAreNamedInMessages() {
        #expect(Self.problem(file: #"{"deflate": {"enabled": "yes"}}"#).contains(#"expected true or false, not the string "yes""#))
        #expect(Self.problem(file: #"{"origins": {"allowed": "https://a"}}"#).contains("expected an array of strings"))
        #expect(Self.problem(file: #"{"port": 80.5}"#).contains("expected a whole number, not 80.5"))
        #expect(Self.problem(file: "[1]").contains("the file must hold one JSON object"))
    }

    @Test func crossKeyRulesStillApply() {
        #expect(Self.problem(flags: [("--tls-cert", "tls.cert.file", "/c.pem")]).contains("tls.cert.file and tls.key.file go together"))
    }

    @Test func everyKeyHasOneEnvironmentName() {
        let names = ServerConfiguration.keys.map(\.environmentName)
        #expect(Set(names).count == names.count)
        #expect(ServerConfiguration.key("http.max.body.bytes")?.environmentName == "BACKCHANNEL_HTTP_MAX_BODY_BYTES")
    }
}
