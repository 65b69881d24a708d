import CLinux

#if canImport(Glibc)
import Glibc
#endif

extension SocketAddress {
    /// The address as text (`127.0.0.1`, `::1`), without the port.
    public var numericHost: String {
        var text = [CChar](repeating: 0, count: Int(NI_MAXHOST))
        let result = self.withSockaddr { address, length in
            getnameinfo(address, length, &text, socklen_t(text.count), nil, 0, NI_NUMERICHOST)
        }
        guard result == 0 else { return "" }
        return String(decoding: text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// A numeric address (`127.0.0.1`, `::1`; never a host name, so nothing is looked up) and a port.
    ///
    /// - Throws: `IOError` (EINVAL) when `host` is not a numeric IPv4 or IPv6 address.
    public init(numericHost host: String, port: Int) throws(IOError) {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        hints.ai_flags = AI_NUMERICHOST | AI_NUMERICSERV
        var list: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(host, String(port), &hints, &list) == 0, let info = list?.pointee, let address = info.ai_addr else {
            throw IOError(errnoCode: EINVAL, function: "getaddrinfo(\(host)): not a numeric IPv4 or IPv6 address")
        }
        defer { freeaddrinfo(list) }
        self.init(copying: address, length: info.ai_addrlen)
    }

    /// The addresses `host` names on `port`, IPv4 first: a numeric address as it is, `localhost` as
    /// 127.0.0.1, anything else through the system resolver (`getaddrinfo`: /etc/hosts, DNS). Blocks
    /// while the resolver works: call it off the event loops.
    ///
    /// - Throws: `IOError` (EINVAL) saying that the name does not resolve.
    public static func lookUp(host: String, port: Int) throws(IOError) -> [SocketAddress] {
        if let numeric = try? SocketAddress(numericHost: host, port: port) { return [numeric] }
        if host.lowercased() == "localhost" { return [try SocketAddress(numericHost: "127.0.0.1", port: port)] }
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(host, String(port), &hints, &list)
        guard status == 0 else {
            throw IOError(errnoCode: EINVAL, function: "getaddrinfo(\(host)): \(String(cString: gai_strerror(status)))")
        }
        defer { freeaddrinfo(list) }
        var found: [SocketAddress] = []
        var cursor = list
        while let entry = cursor {
            if let address = entry.pointee.ai_addr { found.append(SocketAddress(copying: address, length: entry.pointee.ai_addrlen)) }
            cursor = entry.pointee.ai_next
        }
        return found.filter { $0.family == AF_INET } + found.filter { $0.family == AF_INET6 }
    }
}
