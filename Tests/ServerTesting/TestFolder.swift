public import Foundation

/// Fresh folders under the temporary directory for tests that run the real binary: made with a
/// recognisable prefix, removed by the test (`defer { TestFolder.remove(folder) }`).
public enum TestFolder {
    /// `<tmp>/<prefix>-<UUID>`, created with `subfolders` inside.
    public static func make(_ prefix: String, subfolders: [String] = []) throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("\(prefix)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        for name in subfolders {
            try FileManager.default.createDirectory(at: folder.appendingPathComponent(name), withIntermediateDirectories: true)
        }
        return folder
    }

    public static func remove(_ folder: URL) {
        try? FileManager.default.removeItem(at: folder)
    }
}
