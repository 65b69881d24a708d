#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Walks a directory tree for `StaticFiles`, resolving every entry with `realpath` so a symlink whose
/// target lies outside the root is skipped, and visiting each real directory once (no symlink loops).
struct StaticFileLoader {
    let rootReal: String
    let maxFileBytes: Int
    /// Relative path (through the names as seen from the root) → content.
    private(set) var files: [String: [UInt8]] = [:]
    private var visited: Set<String> = []

    init(rootReal: String, maxFileBytes: Int) {
        self.rootReal = rootReal
        self.maxFileBytes = maxFileBytes
    }

    mutating func walk(directory: String, relative: String) throws {
        guard self.visited.insert(directory).inserted else { return }
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: directory)
        } catch {
            throw StaticFiles.LoadError(path: directory, reason: "cannot list directory (\(error))")
        }
        for name in names.sorted() {
            guard let real = StaticFiles.realPath(directory + "/" + name), self.isInsideRoot(real) else { continue }
            if StaticFiles.isDirectory(real) {
                try self.walk(directory: real, relative: relative + name + "/")
            } else if let body = self.read(real) {
                self.files[relative + name] = body
            }
        }
    }

    private func isInsideRoot(_ real: String) -> Bool {
        let prefix = self.rootReal.hasSuffix("/") ? self.rootReal : self.rootReal + "/"
        return real.hasPrefix(prefix)
    }

    /// The content of a regular file no larger than the limit; nil for anything else or on error.
    private func read(_ path: String) -> [UInt8]? {
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: path),
            attributes[.type] as? FileAttributeType == .typeRegular,
            let size = attributes[.size] as? Int, size <= self.maxFileBytes,
            let data = FileManager.default.contents(atPath: path), data.count <= self.maxFileBytes
        else { return nil }
        return [UInt8](data)
    }
}
