/// Reading `Accept-Encoding` (RFC 9110 §12.5.3) for the one coding we serve besides identity.
enum AcceptEncoding {
    /// Whether the client takes gzip: `gzip` (or `x-gzip`) listed with a non-zero weight, or, when it is
    /// not listed, `*` with a non-zero weight. No field means identity only, as browsers always send one.
    static func acceptsGzip(_ headers: HTTPHeaders) -> Bool {
        var wildcard: Bool?
        for element in headers.tokens(for: "Accept-Encoding") {
            let parts = element.split(separator: ";", omittingEmptySubsequences: false)
            let coding = parts[0].trimmingCharacters(in: " \t")
            let accepted = Self.weight(parts.dropFirst()) > 0
            if coding == "gzip" || coding == "x-gzip" { return accepted }
            if coding == "*" { wildcard = accepted }
        }
        return wildcard ?? false
    }

    /// The `q` parameter (1 when absent; 0 when unreadable, so a garbled weight never selects a coding).
    private static func weight(_ parameters: ArraySlice<Substring>) -> Double {
        for parameter in parameters {
            let pair = parameter.split(separator: "=", maxSplits: 1)
            guard pair.count == 2, pair[0].trimmingCharacters(in: " \t") == "q" else { continue }
            guard let q = Double(pair[1].trimmingCharacters(in: " \t")), (0...1).contains(q) else { return 0 }
            return q
        }
        return 1
    }
}
