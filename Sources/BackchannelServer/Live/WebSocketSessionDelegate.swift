import WebSocket

/// What an endpoint does with an open WebSocket (echo, bench broadcast, a live room).
/// All calls arrive on the connection's loop thread.
protocol WebSocketSessionDelegate: AnyObject {
    func sessionDidOpen(_ session: WebSocketSession)
    func session(_ session: WebSocketSession, didReceive message: WebSocketMessage)
    /// The deadline set with `WebSocketSession.setDelegateDeadline` passed (e.g. no `join` in time).
    func sessionDelegateDeadlinePassed(_ session: WebSocketSession)
    func sessionDidClose(_ session: WebSocketSession)
    /// Everything sent so far reached the kernel, after `WebSocketSession.notifyWhenDrained()`.
    func sessionDidDrain(_ session: WebSocketSession)
    /// A ping arrived: false leaves it unanswered (the sender is over its message rate).
    func sessionShouldAnswerPing(_ session: WebSocketSession) -> Bool
}

extension WebSocketSessionDelegate {
    func sessionDidOpen(_ session: WebSocketSession) {}
    func sessionDelegateDeadlinePassed(_ session: WebSocketSession) {}
    func sessionDidClose(_ session: WebSocketSession) {}
    func sessionDidDrain(_ session: WebSocketSession) {}
    func sessionShouldAnswerPing(_ session: WebSocketSession) -> Bool { true }
}
