extension Connection {
    /// Drops queued bytes that haven't started to go out. A partly written chunk stays, so the
    /// peer still receives whole frames; used to put a close frame right behind what a slow reader
    /// already has, instead of behind megabytes it will never read. Over TLS nothing is dropped:
    /// queued bytes may already be sealed records, and a gap would break the record sequence.
    public func discardQueuedWrites() {
        guard self.tls == nil else { return }
        let keep = self.outboundHeadOffset > 0 ? 1 : 0
        while self.outbound.count > keep, let dropped = self.outbound.popLast() {
            self.outboundBytes -= dropped.count
        }
    }
}
