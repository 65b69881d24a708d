public import Foundation

/// Where things are in this checkout, found from this file's own path.
public enum PackagePaths {
    /// The package root (the folder with Package.swift).
    public static let root: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()  // ServerTesting
        .deletingLastPathComponent()  // Tests
        .deletingLastPathComponent()

    /// The real pages, for tests that fetch them.
    public static var staticDirectory: String { root.appendingPathComponent("static").path }
}
