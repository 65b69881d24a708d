/// Content types for the static files we serve, by file extension; text types carry `charset=utf-8`
/// so browsers never sniff the encoding.
enum MediaType {
    static let fallback = "application/octet-stream"

    private static let byExtension: [String: String] = [
        "html": "text/html; charset=utf-8",
        "htm": "text/html; charset=utf-8",
        "css": "text/css; charset=utf-8",
        "js": "text/javascript; charset=utf-8",
        "mjs": "text/javascript; charset=utf-8",
        "json": "application/json",
        "map": "application/json",
        "svg": "image/svg+xml; charset=utf-8",
        "png": "image/png",
        "jpg": "image/jpeg",
        "jpeg": "image/jpeg",
        "gif": "image/gif",
        "webp": "image/webp",
        "ico": "image/x-icon",
        "txt": "text/plain; charset=utf-8",
        "woff2": "font/woff2",
        "wasm": "application/wasm",
    ]

    /// The Content-Type for a file path, from its extension (case-insensitive).
    static func contentType(forPath path: String) -> String {
        let name = path.split(separator: "/").last ?? ""
        guard let dot = name.lastIndex(of: "."), dot != name.startIndex else { return Self.fallback }
        return Self.byExtension[name[name.index(after: dot)...].lowercased()] ?? Self.fallback
    }

    /// Whether gzip is worth trying: text, JSON and SVG shrink; images, fonts and wasm are packed already.
    static func isCompressible(_ contentType: String) -> Bool {
        contentType.hasPrefix("text/") || contentType.hasPrefix("application/json") || contentType.hasPrefix("image/svg+xml")
    }

    /// Whether the file is HTML, which must be revalidated on every load (`Cache-Control: no-cache`).
    static func isHTML(_ contentType: String) -> Bool {
        contentType.hasPrefix("text/html")
    }
}
