extension Connection {
    /// Whether the peer connects from the loopback network (127.0.0.0/8, ::1, or IPv4-mapped 127.x on
    /// a dual-stack listener), asked of the kernel when needed so an idle connection stores no address.
    public var peerIsLoopback: Bool {
        SocketAddress.of(socket: self.fd, peer: true)?.isLoopback ?? false
    }

    /// The peer's address as text for logs (`203.0.113.7`, `2001:db8::1`; an IPv4 peer of a dual-stack
    /// listener without its `::ffff:` prefix), asked of the kernel; `-` once the socket is gone.
    public var peerHost: String {
        guard let host = SocketAddress.of(socket: self.fd, peer: true)?.numericHost, !host.isEmpty else { return "-" }
        if host.hasPrefix("::ffff:"), host.contains(".") { return String(host.dropFirst(7)) }
        return host
    }

    /// Gives back the per-address slot this connection holds (`ConnectionAdmission`): it has
    /// proved itself (a live WebSocket joined) and no longer counts against its address.
    public func releaseAddressSlot() {
        guard let slot = self.addressSlot else { return }
        self.addressSlot = nil
        self.loop.admission.releaseSlot(slot)
    }
}
