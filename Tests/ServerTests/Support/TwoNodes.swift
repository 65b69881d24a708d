import BackchannelServer
import TestSupport

/// Two nodes on one fresh database, stopped and dropped together.
struct TwoNodes {
    let database: TestDatabase
    let a: TestServer
    let b: TestServer

    init(configure: (inout ServerConfiguration) -> Void = { $0.commentRateLimit = 1000 }) throws {
        self.database = try TestDatabase()
        self.a = try TestServer(databaseURL: self.database.url, configure: configure)
        self.b = try TestServer(databaseURL: self.database.url, configure: configure)
    }

    func stop() {
        self.a.stop()
        self.b.stop()
        self.database.drop()
    }
}
