/// ASCII byte tests and small searches used by the line scanners (no locale, no Unicode tables).
enum ByteClass {
    @inline(__always) static func lower(_ b: UInt8) -> UInt8 {
        (b >= 0x41 && b <= 0x5A) ? b &+ 0x20 : b
    }

    @inline(__always) static func isLetter(_ b: UInt8) -> Bool {
        let l = b | 0x20
        return l >= 0x61 && l <= 0x7A
    }

    @inline(__always) static func isDigit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }

    /// Letters, digits and `_`: bytes that continue an identifier.
    @inline(__always) static func isWordByte(_ b: UInt8) -> Bool {
        isLetter(b) || isDigit(b) || b == UInt8(ascii: "_")
    }

    static func hasPrefix(_ s: UnsafeBufferPointer<UInt8>, _ prefix: StaticString) -> Bool {
        let p = UnsafeBufferPointer(start: prefix.utf8Start, count: prefix.utf8CodeUnitCount)
        guard s.count >= p.count else { return false }
        for i in 0..<p.count where s[i] != p[i] { return false }
        return true
    }

    /// Case-insensitive search; `needle` must be lowercase.
    static func containsLowercased(_ s: UnsafeBufferPointer<UInt8>, _ needle: [UInt8]) -> Bool {
        indexOfLowercased(s, needle) != nil
    }

    static func indexOfLowercased(_ s: UnsafeBufferPointer<UInt8>, _ needle: [UInt8]) -> Int? {
        let m = needle.count
        guard m > 0, s.count >= m else { return nil }
        let first = needle[0]
        var i = 0
        while i + m <= s.count {
            if lower(s[i]) == first {
                var j = 1
                while j < m, lower(s[i + j]) == needle[j] { j += 1 }
                if j == m { return i }
            }
            i += 1
        }
        return nil
    }

    /// Case-insensitive prefix test; `prefix` must be lowercase.
    static func hasLowercasedPrefix(_ s: UnsafeBufferPointer<UInt8>, _ prefix: [UInt8]) -> Bool {
        guard s.count >= prefix.count else { return false }
        for i in 0..<prefix.count where lower(s[i]) != prefix[i] { return false }
        return true
    }

    /// True if `s` holds `length` consecutive `-` (PEM armour lines do).
    static func hasDashRun(_ s: UnsafeBufferPointer<UInt8>, _ length: Int) -> Bool {
        var run = 0
        for b in s {
            if b == UInt8(ascii: "-") {
                run += 1
                if run >= length { return true }
            } else {
                run = 0
            }
        }
        return false
    }
}
