/// Turns a raw log line into what a reader needs: ANSI escapes removed, the
/// GitHub Actions `[job<TAB>step<TAB>]timestamp ` prefix dropped, trailing blanks trimmed.
/// The remaining text is the line's own content, byte for byte.
enum LineCleaner {
    /// Appends the cleaned line to `out` (which is cleared first).
    static func clean(_ raw: UnsafeBufferPointer<UInt8>, into out: inout [UInt8]) {
        out.removeAll(keepingCapacity: true)
        stripANSI(raw, into: &out)
        let prefix = timestampPrefixLength(out)
        if prefix > 0 { out.removeFirst(prefix) }
        while let last = out.last, last == 0x20 || last == 0x09 { out.removeLast() }
    }

    static func clean(_ raw: ArraySlice<UInt8>) -> [UInt8] {
        var out: [UInt8] = []
        raw.withUnsafeBufferPointer { clean($0, into: &out) }
        return out
    }

    /// CSI (`ESC [ … final`), OSC (`ESC ] … BEL|ESC \`), two-byte escapes, stray ESC.
    static func stripANSI(_ raw: UnsafeBufferPointer<UInt8>, into out: inout [UInt8]) {
        let n = raw.count
        var i = 0
        while i < n {
            let b = raw[i]
            if b != 0x1B {
                out.append(b)
                i += 1
                continue
            }
            i += 1
            guard i < n else { break }
            let kind = raw[i]
            if kind == UInt8(ascii: "[") {
                i += 1
                while i < n, raw[i] >= 0x30, raw[i] <= 0x3F { i += 1 }  // parameters
                while i < n, raw[i] >= 0x20, raw[i] <= 0x2F { i += 1 }  // intermediates
                if i < n, raw[i] >= 0x40, raw[i] <= 0x7E { i += 1 }     // final byte
            } else if kind == UInt8(ascii: "]") {
                i += 1
                while i < n, raw[i] != 0x07, raw[i] != 0x1B { i += 1 }
                if i < n, raw[i] == 0x07 {
                    i += 1
                } else if i + 1 < n, raw[i] == 0x1B, raw[i + 1] == UInt8(ascii: "\\") {
                    i += 2
                }
            } else if kind >= 0x40, kind <= 0x5F {
                i += 1
            }
        }
    }

    /// Length of an optional `job\tstep\t` plus an ISO timestamp `2022-04-12T19:22:54.9573194Z `.
    static func timestampPrefixLength(_ s: [UInt8]) -> Int {
        if let p = isoTimestampLength(s, at: 0) { return p }
        // Full GitHub logs: two tab-separated fields precede the timestamp.
        guard let tab1 = s.firstIndex(of: 0x09) else { return 0 }
        guard let tab2 = s[(tab1 + 1)...].firstIndex(of: 0x09) else { return 0 }
        if let end = isoTimestampLength(s, at: tab2 + 1) { return end }
        return 0
    }

    /// End offset (absolute) of a timestamp starting at `start`, or nil.
    private static func isoTimestampLength(_ s: [UInt8], at start: Int) -> Int? {
        // YYYY-MM-DDTHH:MM:SS
        let shape: [UInt8] = Array("dddd-dd-ddTdd:dd:dd".utf8)
        guard s.count >= start + shape.count else { return nil }
        for (k, c) in shape.enumerated() {
            let b = s[start + k]
            if c == UInt8(ascii: "d") {
                guard b >= 0x30, b <= 0x39 else { return nil }
            } else if b != c {
                return nil
            }
        }
        var i = start + shape.count
        if i < s.count, s[i] == UInt8(ascii: ".") {
            i += 1
            while i < s.count, s[i] >= 0x30, s[i] <= 0x39 { i += 1 }
        }
        guard i < s.count, s[i] == UInt8(ascii: "Z") else { return nil }
        i += 1
        if i < s.count, s[i] == 0x20 { i += 1 }
        return i
    }
}
