extension JSONReader {
    private static let quote = UInt8(ascii: "\"")
    private static let backslash = UInt8(ascii: "\\")

    /// The string whose opening quote is at `index`. Runs without escapes (the common case) become
    /// a `String` straight from the input; only strings with escapes are assembled in `scratch`.
    mutating func string() throws(JSONParseError) -> String {
        index += 1
        let start = index
        while index < bytes.count {
            switch bytes[index] {
            case Self.quote:
                let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
                index += 1
                return text
            case Self.backslash:
                return try escapedString(from: start)
            case ..<0x20: throw JSONParseError(.unescapedControlCharacter, at: index)
            case ..<0x80: index += 1
            default: try skipUTF8Sequence()
            }
        }
        throw JSONParseError(.unexpectedEnd, at: index)
    }

    private mutating func escapedString(from start: Int) throws(JSONParseError) -> String {
        scratch.removeAll(keepingCapacity: true)
        var run = start
        while index < bytes.count {
            switch bytes[index] {
            case Self.quote:
                scratch.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[run..<index]))
                index += 1
                return String(decoding: scratch, as: UTF8.self)
            case Self.backslash:
                scratch.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[run..<index]))
                try unescape()
                run = index
            case ..<0x20: throw JSONParseError(.unescapedControlCharacter, at: index)
            case ..<0x80: index += 1
            default: try skipUTF8Sequence()
            }
        }
        throw JSONParseError(.unexpectedEnd, at: index)
    }

    /// Decodes the escape at `index` (its backslash) into `scratch`. A `\u` high surrogate must be
    /// followed by a `\u` low surrogate; a lone half is an error rather than U+FFFD, so text is
    /// never silently altered.
    private mutating func unescape() throws(JSONParseError) {
        let start = index
        index += 1
        guard index < bytes.count else { throw JSONParseError(.unexpectedEnd, at: index) }
        let byte = bytes[index]
        index += 1
        switch byte {
        case Self.quote, Self.backslash, UInt8(ascii: "/"): scratch.append(byte)
        case UInt8(ascii: "b"): scratch.append(0x08)
        case UInt8(ascii: "f"): scratch.append(0x0C)
        case UInt8(ascii: "n"): scratch.append(0x0A)
        case UInt8(ascii: "r"): scratch.append(0x0D)
        case UInt8(ascii: "t"): scratch.append(0x09)
        case UInt8(ascii: "u"):
            let unit = try hexQuad()
            switch unit {
            case 0xD800...0xDBFF:
                guard index + 1 < bytes.count, bytes[index] == Self.backslash, bytes[index + 1] == UInt8(ascii: "u") else {
                    throw JSONParseError(.loneSurrogate, at: start)
                }
                index += 2
                let low = try hexQuad()
                guard (0xDC00...0xDFFF).contains(low) else { throw JSONParseError(.loneSurrogate, at: start) }
                appendUTF8(0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00))
            case 0xDC00...0xDFFF:
                throw JSONParseError(.loneSurrogate, at: start)
            default:
                appendUTF8(unit)
            }
        default:
            throw JSONParseError(.invalidEscape, at: start)
        }
    }

    private mutating func hexQuad() throws(JSONParseError) -> UInt32 {
        var value: UInt32 = 0
        for _ in 0..<4 {
            guard index < bytes.count else { throw JSONParseError(.unexpectedEnd, at: index) }
            let byte = bytes[index]
            let digit: UInt8 = switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
            default: throw JSONParseError(.invalidEscape, at: index)
            }
            value = value << 4 | UInt32(digit)
            index += 1
        }
        return value
    }

    /// Appends a scalar value known to be valid (not a surrogate, at most U+10FFFF).
    private mutating func appendUTF8(_ scalar: UInt32) {
        switch scalar {
        case ..<0x80:
            scratch.append(UInt8(scalar))
        case ..<0x800:
            scratch.append(UInt8(0xC0 | scalar >> 6))
            scratch.append(UInt8(0x80 | scalar & 0x3F))
        case ..<0x10000:
            scratch.append(UInt8(0xE0 | scalar >> 12))
            scratch.append(UInt8(0x80 | scalar >> 6 & 0x3F))
            scratch.append(UInt8(0x80 | scalar & 0x3F))
        default:
            scratch.append(UInt8(0xF0 | scalar >> 18))
            scratch.append(UInt8(0x80 | scalar >> 12 & 0x3F))
            scratch.append(UInt8(0x80 | scalar >> 6 & 0x3F))
            scratch.append(UInt8(0x80 | scalar & 0x3F))
        }
    }

    /// Steps over one well-formed multi-byte UTF-8 sequence starting at `index` (Unicode table
    /// 3-7: no overlong forms, no surrogates, nothing above U+10FFFF), so `String(decoding:)`
    /// never has to repair anything.
    private mutating func skipUTF8Sequence() throws(JSONParseError) {
        let (length, secondRange): (Int, ClosedRange<UInt8>) = switch bytes[index] {
        case 0xC2...0xDF: (2, 0x80...0xBF)
        case 0xE0: (3, 0xA0...0xBF)
        case 0xE1...0xEC, 0xEE...0xEF: (3, 0x80...0xBF)
        case 0xED: (3, 0x80...0x9F)
        case 0xF0: (4, 0x90...0xBF)
        case 0xF1...0xF3: (4, 0x80...0xBF)
        case 0xF4: (4, 0x80...0x8F)
        default: throw JSONParseError(.invalidUTF8, at: index)
        }
        guard index + length <= bytes.count, secondRange.contains(bytes[index + 1]) else {
            throw JSONParseError(.invalidUTF8, at: index)
        }
        for next in index + 2 ..< index + length where bytes[next] & 0xC0 != 0x80 {
            throw JSONParseError(.invalidUTF8, at: index)
        }
        index += length
    }
}
