/// Hook for permessage-deflate (RFC 7692, implemented in `WebSocketDeflate`): inflates a compressed
/// message piece by piece, so the reader never holds compressed bytes.
///
/// The reader calls `inflate` with consecutive pieces of one message's compressed payload: a whole
/// frame payload, or part of one when a frame arrives in several reads. `isFinal` is true only on
/// the last piece of the message's last frame (possibly empty), where the inflater appends the
/// `00 00 ff ff` tail (RFC 7692 §7.2.2) and may reset its context.
public protocol WebSocketInflater: AnyObject {
    /// Appends the inflated bytes of one frame payload to `output`; `isFinal` on the message's last
    /// frame. Throws `WebSocketFailure(.messageTooBig)` when `output.count` would pass `limit`,
    /// (`.invalidPayload` or `.protocolError`) on corrupt data.
    func inflate(_ payload: UnsafeRawBufferPointer, isFinal: Bool, limit: Int, into output: inout [UInt8])
        throws(WebSocketFailure)
}
