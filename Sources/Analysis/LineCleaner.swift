import Foundation

/// Turns a raw log line into what a reader needs: ANSI escapes removed, the
/// GitHub Actions `[job<TAB>step<TAB>]timestamp ` prefix dropped, trailing blanks trimmed.
/// The remaining text is the line's own content, byte for byte.
enum LineCleaner {
    /// Calls `body` with the cleaned line; copies only when the line has escapes to remove.
    static func withCleaned<R>(_ raw: UnsafeBufferPointer<UInt8>, scratch: inout [UInt8], _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        guard raw.count > 0, memchr(raw.baseAddress!, 0x1B, raw.count) != nil else {
            return body(UnsafeBufferPointer(rebasing: raw[contentRange(raw)]))
        }
        scratch.removeAll(keepingCapacity: true)
        stripANSI(raw, into: &scratch)
        return scratch.withUnsafeBufferPointer { s in body(UnsafeBufferPointer(rebasing: s[contentRange(s)])) }
    }

    /// The line without its timestamp prefix and trailing blanks.
    static func contentRange(_ s: UnsafeBufferPointer<UInt8>) -> Range<Int> {
        let start = timestampPrefixLength(s)
        var end = s.count
        while end > start, s[end - 1] == 0x20 || s[end - 1] == 0x09 { end -= 1 }
        return start..<end
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
    static func timestampPrefixLength(_ s: UnsafeBufferPointer<UInt8>) -> Int {
        guard s.count >= 20 else { return 0 }
        if ByteClass.isDigit(s[0]) { return isoTimestampEnd(s, at: 0) ?? 0 }
        // Full GitHub logs: two tab-separated fields precede the timestamp.
        guard let tab1 = s.firstIndex(of: 0x09),
              let tab2 = s[(tab1 + 1)...].firstIndex(of: 0x09) else { return 0 }
        return isoTimestampEnd(s, at: tab2 + 1) ?? 0
    }

    private static let timestampShape = Array("dddd-dd-ddTdd:dd:dd".utf8)

    /// End offset of a timestamp starting at `start`, or nil.
    private static func isoTimestampEnd(_ s: UnsafeBufferPointer<UInt8>, at start: Int) -> Int? {
        let shape = timestampShape
        guard s.count >= start + shape.count + 1 else { return nil }
        for k in 0..<shape.count {
            let b = s[start + k], c = shape[k]
            if c == UInt8(ascii: "d") {
                guard ByteClass.isDigit(b) else { return nil }
            } else if b != c {
                return nil
            }
        }
        var i = start + shape.count
        if i < s.count, s[i] == UInt8(ascii: ".") {
            i += 1
            while i < s.count, ByteClass.isDigit(s[i]) { i += 1 }
        }
        guard i < s.count, s[i] == UInt8(ascii: "Z") else { return nil }
        i += 1
        if i < s.count, s[i] == 0x20 { i += 1 }
        return i
    }

    /// True if `s` holds an escape written out in caret notation (`^[[31m`), as logs copied
    /// through `cat -v` or a web page show them.
    static func hasCaretEscape(_ s: UnsafeBufferPointer<UInt8>) -> Bool {
        guard s.count >= 4, let base = s.baseAddress else { return false }
        var from = 0
        while from + 3 < s.count, let hit = memchr(base + from, Int32(UInt8(ascii: "^")), s.count - from - 3) {
            let i = UnsafeRawPointer(base).distance(to: UnsafeRawPointer(hit))
            if s[i + 1] == UInt8(ascii: "["), s[i + 2] == UInt8(ascii: "[") { return true }
            from = i + 1
        }
        return false
    }

    /// `s` without caret-notation CSI escapes (`^[[` parameters, one final letter); for
    /// recognising keywords only, the shown line keeps its text.
    static func stripCaretEscapes(_ s: UnsafeBufferPointer<UInt8>, into out: inout [UInt8]) {
        let n = s.count
        var i = 0
        while i < n {
            if i + 2 < n, s[i] == UInt8(ascii: "^"), s[i + 1] == UInt8(ascii: "["), s[i + 2] == UInt8(ascii: "[") {
                var j = i + 3
                while j < n, ByteClass.isDigit(s[j]) || s[j] == UInt8(ascii: ";") { j += 1 }
                if j < n, ByteClass.isLetter(s[j]) {
                    i = j + 1
                    continue
                }
            }
            out.append(s[i])
            i += 1
        }
    }
}
