import HTTP1
import Testing

/// Test helpers that drive the parser the way the server does: loop over each read, keep going after
/// each completed request, and record how many bytes each request consumed.
extension HTTPRequestParser {
    /// Feeds `bytes` in reads split at `cuts` (sorted offsets) and returns every request with the
    /// absolute offset just after it.
    mutating func feed(_ bytes: [UInt8], cuts: [Int] = []) throws(HTTPParseError) -> [(request: HTTPRequest, end: Int)] {
        var out: [(request: HTTPRequest, end: Int)] = []
        var bounds = [0] + cuts.filter { $0 > 0 && $0 < bytes.count } + [bytes.count]
        bounds = Array(Set(bounds)).sorted()
        for (lower, upper) in zip(bounds, bounds.dropFirst()) {
            var offset = lower
            while offset < upper {
                let (consumed, request) = try self.parse(bytes, offset..<upper)
                offset += consumed
                if let request { out.append((request, offset)) }
                if consumed == 0 && request == nil { return out }  // no progress: the caller's checks will notice
            }
        }
        return out
    }

    /// Parses `bytes[range]`, keeping the typed error (withUnsafeBytes rethrows untyped errors).
    mutating func parse(_ bytes: [UInt8], _ range: Range<Int>) throws(HTTPParseError) -> (
        consumed: Int, request: HTTPRequest?
    ) {
        let result = bytes.withUnsafeBytes { raw in
            Result { () throws(HTTPParseError) in try self.parse(UnsafeRawBufferPointer(rebasing: raw[range])) }
        }
        return try result.get()
    }
}

/// Parses `bytes` whole, byte by byte and split once at every offset; expects the same requests each time.
func parseEveryWay(_ bytes: [UInt8], limits: HTTPParserLimits = .init()) throws -> [HTTPRequest] {
    var whole = HTTPRequestParser(limits: limits)
    let expected = try whole.feed(bytes)
    #expect(whole.isIdle)
    var byteByByte = HTTPRequestParser(limits: limits)
    let single = try byteByByte.feed(bytes, cuts: Array(0..<bytes.count))
    #expect(single.map(\.request) == expected.map(\.request))
    #expect(single.map(\.end) == expected.map(\.end))
    for cut in 0...bytes.count {
        var split = HTTPRequestParser(limits: limits)
        let got = try split.feed(bytes, cuts: [cut])
        #expect(got.map(\.request) == expected.map(\.request), "split at \(cut)")
        #expect(got.map(\.end) == expected.map(\.end), "split at \(cut)")
    }
    return expected.map(\.request)
}

/// The error `bytes` cause when fed whole, asserting that byte-by-byte feeding fails the same way.
func parseError(_ bytes: [UInt8], limits: HTTPParserLimits = .init()) -> HTTPParseError? {
    var whole = HTTPRequestParser(limits: limits)
    var wholeError: HTTPParseError?
    do { _ = try whole.feed(bytes) } catch { wholeError = error }
    var byteByByte = HTTPRequestParser(limits: limits)
    var singleError: HTTPParseError?
    do { _ = try byteByByte.feed(bytes, cuts: Array(0..<bytes.count)) } catch { singleError = error }
    #expect(
        wholeError == singleError,
        "whole: \(String(describing: wholeError)), bytewise: \(String(describing: singleError))"
    )
    #expect(whole.isIdle && byteByByte.isIdle, "the parser resets after an error")
    return wholeError
}

extension Array where Element == UInt8 {
    init(_ string: String) { self = Array(string.utf8) }
}
