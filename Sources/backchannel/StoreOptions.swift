import ArgumentParser
import BackchannelServer
import Foundation
import PostgresStore
import Store
import Webinar

/// `--data-dir` / `--database-url`, as `serve` takes them, and the store they name.
struct StoreOptions: ParsableArguments {
    @Option(
        name: .customLong("data-dir"),
        help: "Where the SQLite database lives (default: $BACKCHANNEL_DATA_DIR, else ./data).")
    var dataDir: String?

    @Option(
        name: .customLong("database-url"),
        help: "PostgreSQL URL instead of SQLite (default: $BACKCHANNEL_DATABASE_URL).")
    var databaseURL: String?

    /// The flag, else the environment, as `serve` reads them.
    var url: String? {
        self.databaseURL ?? ProcessInfo.processInfo.environment["BACKCHANNEL_DATABASE_URL"].flatMap { $0.isEmpty ? nil : $0 }
    }

    /// Where the store is, for messages (never the URL: it may hold a password).
    var location: String { self.url == nil ? self.directory : "the PostgreSQL database" }

    /// An open store and how to close it.
    struct Opened {
        let store: any WebinarStore
        let close: () -> Void
    }

    var directory: String { Self.dataDirectory(flag: self.dataDir) }

    /// `--data-dir`, else `$BACKCHANNEL_DATA_DIR`, else `./data`: where `serve` keeps its data.
    static func dataDirectory(flag: String?) -> String {
        flag ?? ProcessInfo.processInfo.environment["BACKCHANNEL_DATA_DIR"].flatMap { $0.isEmpty ? nil : $0 } ?? "./data"
    }

    /// Opens the store. Reading commands pass `mustExist` so a mistyped directory is reported, not created.
    func open(mustExist: Bool) throws -> Opened {
        if let url = self.url {
            guard ServerConfiguration.isPostgresURL(url) else {
                throw CommandFailure.badInput("--database-url must be a postgresql:// URL, e.g. postgresql://user@host:5432/backchannel")
            }
            do {
                let store = try PostgresStore(url: url, poolSize: 1)
                return Opened(store: store, close: { store.close() })
            } catch {
                throw CommandFailure.failed("cannot open the PostgreSQL database: \(error)")
            }
        }
        let directory = URL(fileURLWithPath: self.directory)
        let file = directory.appendingPathComponent(SQLiteStore.fileName)
        if mustExist, !FileManager.default.fileExists(atPath: file.path) {
            throw CommandFailure.failed("no database at \(file.path); pass --data-dir as for serve.")
        }
        do {
            let store = try SQLiteStore(dataDirectory: directory)
            return Opened(store: store, close: { try? store.close() })
        } catch {
            throw CommandFailure.failed("cannot open the database in \(directory.path): \(error)")
        }
    }
}

extension WebinarError {
    /// The message with the command-line flag at fault (`startsAt` → `--starts-at`).
    var commandLineMessage: String {
        guard let field else { return self.message }
        let flag = field.reduce(into: "--") { result, character in
            if character.isUppercase { result += "-" + character.lowercased() } else { result.append(character) }
        }
        return "\(flag): \(self.message)"
    }
}
