extension Connection {
    /// Whether the peer connects from the loopback network (127.0.0.0/8, ::1, or IPv4-mapped 127.x on
    /// a dual-stack listener), asked of the kernel when needed so an idle connection stores no address.
    public var peerIsLoopback: Bool {
        SocketAddress.of(socket: self.fd, peer: true)?.isLoopback ?? false
    }

    /// Gives back the per-address slot this connection holds (`ConnectionAdmission`): it has
    /// proved itself (a live WebSocket joined) and no longer counts against its address.
    public func releaseAddressSlot() {
        guard let slot = self.addressSlot else { return }
        self.addressSlot = nil
        self.loop.admission.releaseSlot(slot)
    }
}
