extension LiveMessages {
    /// `{"type":"pong"}`, the answer to a joined client's `ping`: the same bytes every time.
    package static let pong: [UInt8] = Array(#"{"type":"pong"}"#.utf8)
}
