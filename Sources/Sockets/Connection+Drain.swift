extension Connection {
    /// Asks for one `connectionDidDrain` call once everything queued has gone to the kernel (at
    /// the latest in this turn's flush when nothing is queued). A sender with more to say than
    /// the backlog bound sends a slice, asks, and sends the next slice from the callback.
    public func notifyWhenDrained() {
        guard self.state == .open else { return }
        self.drainNotificationRequested = true
        if !self.inFlushList && !self.waitingForWritable {
            self.inFlushList = true
            self.loop.flushList.append(self)
        }
    }

    /// Called at the end of a flush that emptied the queue. Bytes the handler writes from the
    /// callback join the loop's flush list and go out in the same turn while the kernel takes them.
    func notifyDrainedIfRequested() {
        guard self.drainNotificationRequested, self.state == .open, self.outbound.isEmpty else { return }
        self.drainNotificationRequested = false
        self.handler?.connectionDidDrain(self)
    }
}
