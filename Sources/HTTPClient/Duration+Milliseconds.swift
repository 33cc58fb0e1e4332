extension Duration {
    /// Longest libcurl timeout we pass: about 24.8 days, far beyond any real exchange.
    static let longestCurlTimeoutMilliseconds = Int(Int32.max)

    /// Whole milliseconds for a libcurl timeout option: rounded up, so a tiny positive timeout
    /// never becomes 0 (libcurl's "no timeout", which only `.zero` may mean, see `HTTPRequest`),
    /// and capped, so a huge one cannot overflow. A negative one stays negative: libcurl refuses it.
    var milliseconds: Int {
        let (seconds, attoseconds) = components
        let cap = Self.longestCurlTimeoutMilliseconds
        guard seconds < Int64(cap / 1000) else { return cap }
        guard seconds > -Int64(cap / 1000) else { return -1 }
        return Int(seconds * 1000 + (attoseconds + 999_999_999_999_999) / 1_000_000_000_000_000)
    }
}
