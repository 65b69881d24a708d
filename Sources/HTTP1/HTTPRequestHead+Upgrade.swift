extension HTTPRequestHead {
    /// Whether the client asks to switch protocols (`Connection: upgrade` plus `Upgrade`, RFC 9110 §7.8);
    /// the bytes after such a request belong to the new protocol.
    public var isUpgrade: Bool {
        self.headers["Upgrade"] != nil && self.headers.contains(name: "Connection", token: "upgrade")
    }
}
