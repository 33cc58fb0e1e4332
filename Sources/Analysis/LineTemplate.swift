/// A line's template in the style of Drain (the log parser Log Detective uses): its words,
/// with every word that holds a digit, a quote, a path separator or a `key=value` replaced by
/// a wildcard. Lines printed by one
/// statement with different values (`a.py:12: error: Module has no attribute "max"`,
/// `a.py:97: error: Module has no attribute "min"`) share a template, so the excerpt can keep
/// the first few of a cascade and let the rest go.
///
/// Unlike Drain there is no similarity search between templates: one hash per line keeps a
/// 50 MB log linear, and masking words by their shape catches the values that vary in CI logs
/// (numbers, ids, paths, quoted names, settings).
enum LineTemplate {
    /// FNV-1a over the masked words of `s` (leading and repeated blanks ignored).
    static func hash(_ s: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        let n = s.count
        var i = 0
        while i < n {
            while i < n, s[i] == 0x20 || s[i] == 0x09 { i += 1 }
            guard i < n else { break }
            let start = i
            var variable = false
            while i < n, s[i] != 0x20, s[i] != 0x09 {
                let b = s[i]
                if ByteClass.isDigit(b) || b == UInt8(ascii: "\"") || b == UInt8(ascii: "'") || b == UInt8(ascii: "`")
                    || b == UInt8(ascii: "/") || b == UInt8(ascii: "\\") || b == UInt8(ascii: "=") {
                    variable = true
                }
                i += 1
            }
            if variable {
                h = (h ^ 0x2A) &* 0x100_0000_01b3
            } else if i - start >= 3, s[start..<i].allSatisfy({ $0 == s[start] }) {
                // A frame (`_______`, `=====`) padded to the terminal's width: its length varies.
                h = (h ^ UInt64(s[start])) &* 0x100_0000_01b3
            } else {
                for k in start..<i { h = (h ^ UInt64(s[k])) &* 0x100_0000_01b3 }
            }
            h = (h ^ 0x20) &* 0x100_0000_01b3
        }
        return h
    }
}
