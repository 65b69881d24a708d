import FuzzSupport

@testable import HTTP1

/// `HTTPRequestParser` on anything: pipelined requests cut into arbitrary reads, under the
/// server's limits or tiny ones (so every limit is crossed often). A parsed request is read the
/// way the server reads it: path, query, router match, Accept-Encoding, keep-alive.
///
/// Input: [how to cut into reads] [small limits?] then the bytes. Checked on every call: a parse
/// consumes at most what it was given and always makes progress; a refusal carries an error
/// status and a message; no request exceeds the limits.
private let target: FuzzTarget = { data, size in
    var input = FuzzInput(data, size)
    let seed = input.byte()
    let limits =
        input.byte() & 1 == 1
        ? HTTPParserLimits(maxRequestLineBytes: 64, maxHeaderBytes: 256, maxHeaderCount: 8, maxBodyBytes: 512)
        : HTTPParserLimits()
    var parser = HTTPRequestParser(limits: limits)
    reads: for piece in FuzzInput.pieces(of: input.rest, seed: seed) {
        let failed = piece.withUnsafeBytes { raw -> Bool in
            var offset = 0
            while offset < raw.count {
                do throws(HTTPParseError) {
                    let (consumed, request) = try parser.parse(UnsafeRawBufferPointer(rebasing: raw[offset...]))
                    precondition(consumed <= raw.count - offset, "consumed \(consumed) of \(raw.count - offset) bytes")
                    precondition(consumed > 0 || request != nil, "no progress on \(raw.count - offset) bytes")
                    offset += consumed
                    if let request { inspect(request, limits: limits) }
                } catch {
                    precondition((400...505).contains(error.status.code) && !error.message.isEmpty, "\(error)")
                    return true  // the server answers the error and closes: nothing more is read
                }
            }
            return false
        }
        if failed { break reads }
    }
    return 0
}

private let routes: Router<Int> = {
    var router = Router<Int>()
    router.add(.get, "/api/events/:slug", 1)
    router.add(.post, "/api/events/:slug/registrations", 2)
    router.add(.get, "/api/registrations/:code", 3)
    return router
}()

private func inspect(_ request: HTTPRequest, limits: HTTPParserLimits) {
    let head = request.head
    precondition(request.body.count <= limits.maxBodyBytes, "a body of \(request.body.count) bytes passed the limit")
    precondition(head.headers.count <= limits.maxHeaderCount, "\(head.headers.count) header fields passed the limit")
    _ = QueryParameters(head.query).pairs.count
    if case .found(_, let parameters) = routes.match(head.method, path: head.path) { _ = parameters["slug"] }
    _ = AcceptEncoding.acceptsGzip(head.headers)
    _ = head.keepAlive
    _ = head.isUpgrade
}

@_cdecl("fuzz_http_parser_main")
func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runFuzzer(argc, argv, target)
}
