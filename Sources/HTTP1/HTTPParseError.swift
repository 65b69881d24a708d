/// Why a request was rejected, with the status to answer before closing the connection.
///
/// An opaque struct (like Hummingbird's `PersistError`) so new cases never break callers;
/// `==` compares the kind of error only.
public struct HTTPParseError: Error, Equatable, Sendable, CustomStringConvertible {
    private enum Kind: Equatable, Sendable {
        case requestLineTooLong, headersTooLarge, tooManyHeaders, bodyTooLarge
        case unsupportedTransferCoding, unsupportedVersion
        case invalidMethod, invalidTarget, invalidVersion, invalidLineEnding
        case invalidHeaderName, whitespaceBeforeColon, invalidHeaderValue, obsoleteLineFolding
        case invalidContentLength, conflictingContentLength, contentLengthWithTransferEncoding
        case invalidTransferEncoding, transferEncodingInHTTP10
        case invalidChunkSize, invalidChunkExtension, chunkLineTooLong, invalidChunkTerminator, invalidTrailer
        case missingHost, duplicateHost
    }

    private let kind: Kind
    /// The status to send back (400, 413, 414, 431, 501 or 505).
    public var status: HTTPStatus
    /// A sentence a person can act on.
    public var message: String

    private init(_ kind: Kind, _ status: HTTPStatus, _ message: String) {
        self.kind = kind
        self.status = status
        self.message = message
    }

    public var description: String { "\(self.status): \(self.message)" }

    public static func == (lhs: HTTPParseError, rhs: HTTPParseError) -> Bool { lhs.kind == rhs.kind }

    // MARK: Limits

    public static var requestLineTooLong: Self {
        .init(.requestLineTooLong, .uriTooLong, "The request line is too long; shorten the URL or its query string.")
    }
    public static var headersTooLarge: Self {
        .init(
            .headersTooLarge,
            .requestHeaderFieldsTooLarge,
            "The header section is too large; send fewer or smaller headers (cookies?)."
        )
    }
    public static var tooManyHeaders: Self {
        .init(.tooManyHeaders, .requestHeaderFieldsTooLarge, "The request has too many header fields; send fewer.")
    }
    public static var bodyTooLarge: Self {
        .init(.bodyTooLarge, .contentTooLarge, "The request body is larger than the server accepts; send less data.")
    }

    // MARK: Unsupported

    public static var unsupportedTransferCoding: Self {
        .init(
            .unsupportedTransferCoding,
            .notImplemented,
            "Only the chunked transfer coding is supported; send the body uncompressed."
        )
    }
    public static var unsupportedVersion: Self {
        .init(
            .unsupportedVersion,
            .httpVersionNotSupported,
            "Only HTTP/1.0 and HTTP/1.1 are supported on this connection."
        )
    }

    // MARK: Request line

    public static var invalidMethod: Self {
        .init(
            .invalidMethod,
            .badRequest,
            "The request method is not a valid token; start the request with e.g. GET or POST."
        )
    }
    public static var invalidTarget: Self {
        .init(
            .invalidTarget,
            .badRequest,
            "The request target is malformed; send a path starting with '/' without spaces or control characters."
        )
    }
    public static var invalidVersion: Self {
        .init(.invalidVersion, .badRequest, "The request line must end with a version such as HTTP/1.1.")
    }
    public static var invalidLineEnding: Self {
        .init(.invalidLineEnding, .badRequest, "Lines must end with CRLF; a bare CR or LF was received.")
    }

    // MARK: Header fields

    public static var invalidHeaderName: Self {
        .init(
            .invalidHeaderName,
            .badRequest,
            "A header field name is empty, lacks a colon or contains characters not allowed in a token."
        )
    }
    public static var whitespaceBeforeColon: Self {
        .init(
            .whitespaceBeforeColon,
            .badRequest,
            "A header field has whitespace between its name and the colon; remove it."
        )
    }
    public static var invalidHeaderValue: Self {
        .init(.invalidHeaderValue, .badRequest, "A header field value contains a control character; remove it.")
    }
    public static var obsoleteLineFolding: Self {
        .init(
            .obsoleteLineFolding,
            .badRequest,
            "A header line starts with whitespace (obsolete line folding); send each field on one line."
        )
    }
    public static var missingHost: Self {
        .init(.missingHost, .badRequest, "HTTP/1.1 requests must carry a Host header field.")
    }
    public static var duplicateHost: Self {
        .init(.duplicateHost, .badRequest, "The request has more than one Host header field; send exactly one.")
    }

    // MARK: Framing

    public static var invalidContentLength: Self {
        .init(.invalidContentLength, .badRequest, "Content-Length must be a decimal number of bytes.")
    }
    public static var conflictingContentLength: Self {
        .init(
            .conflictingContentLength,
            .badRequest,
            "The request has several Content-Length values that disagree; send one."
        )
    }
    public static var contentLengthWithTransferEncoding: Self {
        .init(
            .contentLengthWithTransferEncoding,
            .badRequest,
            "The request has both Content-Length and Transfer-Encoding; send only one."
        )
    }
    public static var invalidTransferEncoding: Self {
        .init(
            .invalidTransferEncoding,
            .badRequest,
            "Transfer-Encoding must list chunked exactly once, as the final coding."
        )
    }
    public static var transferEncodingInHTTP10: Self {
        .init(
            .transferEncodingInHTTP10,
            .badRequest,
            "HTTP/1.0 requests cannot use Transfer-Encoding; send Content-Length instead."
        )
    }
    public static var invalidChunkSize: Self {
        .init(
            .invalidChunkSize,
            .badRequest,
            "A chunk size is not a hexadecimal number followed by CRLF, or it is too large."
        )
    }
    public static var invalidChunkExtension: Self {
        .init(.invalidChunkExtension, .badRequest, "A chunk extension contains a control character.")
    }
    public static var chunkLineTooLong: Self {
        .init(.chunkLineTooLong, .badRequest, "A chunk-size line (with its extensions) is too long.")
    }
    public static var invalidChunkTerminator: Self {
        .init(
            .invalidChunkTerminator,
            .badRequest,
            "Chunk data must be followed by CRLF; the chunk is longer than its size says."
        )
    }
    public static var invalidTrailer: Self {
        .init(.invalidTrailer, .badRequest, "A trailer field after the last chunk contains a control character.")
    }
}

extension HTTPResponse {
    /// The plain-text response to send for a rejected request, before closing the connection.
    public static func error(_ error: HTTPParseError) -> HTTPResponse {
        .text(error.status, error.message + "\n")
    }
}
