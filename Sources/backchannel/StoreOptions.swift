import ArgumentParser
import Foundation
import Store
import Webinar

/// `--data-dir`, as `serve` takes it, and the store it names.
struct StoreOptions: ParsableArguments {
    @Option(
        name: .customLong("data-dir"),
        help: "Where the SQLite database lives (default: $BACKCHANNEL_DATA_DIR, else ./data).")
    var dataDir: String?

    var directory: String {
        self.dataDir ?? ProcessInfo.processInfo.environment["BACKCHANNEL_DATA_DIR"].flatMap { $0.isEmpty ? nil : $0 }
            ?? "./data"
    }

    /// Opens the store. Reading commands pass `mustExist` so a mistyped directory is reported, not created.
    func open(mustExist: Bool) throws -> SQLiteStore {
        let directory = URL(fileURLWithPath: self.directory)
        let file = directory.appendingPathComponent(SQLiteStore.fileName)
        if mustExist, !FileManager.default.fileExists(atPath: file.path) {
            throw CommandFailure(description: "no database at \(file.path); pass --data-dir as for serve.")
        }
        do {
            return try SQLiteStore(dataDirectory: directory)
        } catch {
            throw CommandFailure(description: "cannot open the database in \(directory.path): \(error)")
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
