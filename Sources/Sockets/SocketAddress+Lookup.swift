import CLinux

#if canImport(Glibc)
import Glibc
#endif

extension SocketAddress {
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
