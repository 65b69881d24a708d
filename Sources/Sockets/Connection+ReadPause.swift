extension Connection {
    /// Stops reading the socket, so the peer's further bytes wait in the kernel and TCP flow
    /// control slows the peer down. Bytes already read (a TLS record being decrypted) may still
    /// arrive in the current `connectionDidRead` loop.
    public func pauseReading() {
        self.readingPaused = true
    }

    /// Reads again at once (this loop turn or the next, without waiting for an event):
    /// edge-triggered epoll does not report again the bytes that arrived while reading was paused.
    public func resumeReading() {
        guard self.readingPaused else { return }
        self.readingPaused = false
        self.readAgain()
    }

    /// Puts the connection on the loop's list of connections to read without waiting for epoll.
    func readAgain() {
        guard self.state != .closed, !self.inReadAgainList else { return }
        self.inReadAgainList = true
        self.loop.readAgainList.append(self)
    }
}
