import Foundation

extension ServerConfiguration {
    /// Where `serve`'s settings come from, lowest precedence first: the JSON file, `BACKCHANNEL_*`
    /// environment variables, flags.
    public struct Sources: Sendable {
        /// The file's path (for messages) and bytes; nil when there is none.
        public var file: (path: String, bytes: [UInt8])?
        public var environment: [String: String]
        /// Flags given on the command line: the flag as typed (`--port`), the key it sets, its value.
        public var flags: [(flag: String, key: String, value: String)]

        public init(
            file: (path: String, bytes: [UInt8])? = nil, environment: [String: String] = [:],
            flags: [(flag: String, key: String, value: String)] = []
        ) {
            self.file = file
            self.environment = environment
            self.flags = flags
        }
    }

    /// Reads every source through `keys`, so each value is checked by its key's type and rule wherever
    /// it comes from, even one a higher source overrides. Unknown keys in the file are errors (with the
    /// closest key suggested); an unknown `BACKCHANNEL_*` variable close to a key's name is a warning.
    ///
    /// - Returns: the configuration, and warnings to log once the logger exists.
    /// - Throws: every problem found, one per line, each naming its source and key.
    public static func load(_ sources: Sources) throws(ConfigurationError) -> (configuration: ServerConfiguration, warnings: [String]) {
        var configuration = ServerConfiguration()
        var problems: [String] = []
        var warnings: [String] = []
        func apply(_ key: ConfigKey, _ input: ConfigInput, from source: String) {
            var candidate = configuration
            do {
                try key.store(&candidate, input)
            } catch {
                problems.append("\(source): \(error.message)")
                return
            }
            if let problem = key.check(candidate) {
                problems.append("\(source): \(key.isSecret ? Self.secretProblem(problem) : problem)")
                return
            }
            configuration = candidate
        }

        if let file = sources.file {
            do {
                guard case .object(let members) = try ConfigJSONParser.parse(file.bytes) else {
                    throw ConfigJSONError(line: 1, column: 1, message: "the file must hold one JSON object, such as {\"port\": 8080}")
                }
                Self.walk(
                    members, prefix: "", file: file.path,
                    value: { key, value, line in apply(key, .json(value), from: "\(file.path), line \(line): \(key.name)") },
                    unknown: { problems.append($0) })
            } catch {
                problems.append("\(file.path): \(error)")
            }
        }
        for (name, value) in sources.environment.sorted(by: { $0.key < $1.key }) where name.hasPrefix("BACKCHANNEL_") {
            if let key = self.keys.first(where: { $0.environmentName == name }) {
                if !value.isEmpty { apply(key, .text(value), from: name) }
            } else if let near = Self.closest(to: name, among: self.keys.map(\.environmentName)) {
                warnings.append("\(name) is not a configuration variable and is ignored; did you mean \(near)?")
            }
        }
        for flag in sources.flags {
            guard let key = self.key(flag.key) else {
                problems.append("\(flag.flag): no configuration key \(flag.key) (a bug: please report it)")
                continue
            }
            apply(key, .text(flag.value), from: flag.flag)
        }
        if problems.isEmpty {
            do {
                try configuration.validate()
            } catch {
                problems.append(error.description)
            }
        }
        guard problems.isEmpty else { throw ConfigurationError(problems.joined(separator: "\n")) }
        return (configuration, warnings)
    }

    /// Goes through the file's objects: a member whose dotted path is a key is a value for it, an object
    /// is walked into, anything else is an unknown key.
    private static func walk(
        _ members: [ConfigJSON.Member], prefix: String, file: String,
        value: (ConfigKey, ConfigJSON, Int) -> Void, unknown: (String) -> Void
    ) {
        for member in members {
            let path = prefix + member.key
            if let key = self.key(path) {
                if member.value != .null { value(key, member.value, member.line) }
            } else if case .object(let inner) = member.value, !inner.isEmpty {
                // On the way to keys, or a misplaced group whose leaves are reported (with suggestions).
                self.walk(inner, prefix: path + ".", file: file, value: value, unknown: unknown)
            } else {
                let names = self.keys.map(\.name)
                let suggestion =
                    self.closest(to: path, among: names)
                    ?? names.first { $0.hasSuffix("." + path) }
                    ?? (self.keys.contains { $0.name.hasPrefix(path + ".") } ? names.first { $0.hasPrefix(path + ".") } : nil)
                unknown(
                    "\(file), line \(member.line): unknown key \"\(path)\""
                        + (suggestion.map { "; did you mean \"\($0)\"?" } ?? "; see the Configuration table in README.md"))
            }
        }
    }

    /// A secret's problem without the secret in it.
    private static func secretProblem(_ problem: String) -> String {
        problem.contains("\"") ? "the value is not valid (not shown: it is a secret)" : problem
    }

    /// The candidate nearest to `text` by edit distance, if near enough to be a likely typo (one
    /// edit per four characters). A shared `BACKCHANNEL_` prefix is left out of the count.
    static func closest(to text: String, among candidates: [String]) -> String? {
        func stem(_ name: String) -> String {
            (name.hasPrefix("BACKCHANNEL_") ? String(name.dropFirst(12)) : name).lowercased()
        }
        let target = stem(text)
        let scored = candidates.map { ($0, Self.editDistance(target, stem($0))) }
        guard let best = scored.min(by: { $0.1 < $1.1 }), best.1 <= max(1, target.count / 4) else { return nil }
        return best.0
    }

    /// Edit distance counting insertions, deletions, substitutions and swaps of neighbours (optimal
    /// string alignment), so "prot" is one edit from "port".
    static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a.utf8)
        let b = Array(b.utf8)
        if a.isEmpty || b.isEmpty { return max(a.count, b.count) }
        var table = [[Int]](repeating: [Int](repeating: 0, count: b.count + 1), count: a.count + 1)
        for i in 0...a.count { table[i][0] = i }
        for j in 0...b.count { table[0][j] = j }
        for i in 1...a.count {
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                var best = min(table[i - 1][j] + 1, table[i][j - 1] + 1, table[i - 1][j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    best = min(best, table[i - 2][j - 2] + 1)
                }
                table[i][j] = best
            }
        }
        return table[a.count][b.count]
    }

    /// The configuration file's bytes: `path` when given (it must exist), else `config/backchannel.json`
    /// when present. Nil when there is no file to read.
    public static func readFile(path: String?) throws(ConfigurationError) -> (path: String, bytes: [UInt8])? {
        let chosen = path ?? "config/backchannel.json"
        guard path != nil || FileManager.default.fileExists(atPath: chosen) else { return nil }
        guard let data = FileManager.default.contents(atPath: chosen) else {
            let reason = FileManager.default.fileExists(atPath: chosen) ? "it cannot be read" : "there is no such file"
            throw ConfigurationError("cannot read the configuration file \(chosen): \(reason)")
        }
        return (chosen, Array(data))
    }
}
