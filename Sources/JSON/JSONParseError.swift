/// Why JSON text was rejected and where: `offset` counts bytes from the start of the input.
public struct JSONParseError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Reason: Sendable, Equatable {
        case unexpectedEnd
        case unexpectedByte(UInt8)
        case invalidNumber
        /// A number whose magnitude does not fit a finite `Double`.
        case numberOutOfRange
        case invalidEscape
        /// A `\uD800`–`\uDFFF` escape without its other half: not a Unicode scalar.
        case loneSurrogate
        /// U+0000–U+001F must be escaped inside strings.
        case unescapedControlCharacter
        case invalidUTF8
        case tooDeep(limit: Int)
        /// Something other than whitespace after the value.
        case trailingContent
    }

    public var reason: Reason
    public var offset: Int

    public init(_ reason: Reason, at offset: Int) {
        self.reason = reason
        self.offset = offset
    }

    public var description: String {
        let what = switch reason {
        case .unexpectedEnd: "unexpected end of input"
        case let .unexpectedByte(byte):
            (0x21..<0x7F).contains(byte) ? "unexpected '\(Character(Unicode.Scalar(byte)))'" : "unexpected byte 0x\(String(byte, radix: 16))"
        case .invalidNumber: "invalid number"
        case .numberOutOfRange: "number out of range"
        case .invalidEscape: "invalid escape sequence"
        case .loneSurrogate: "unpaired UTF-16 surrogate escape"
        case .unescapedControlCharacter: "unescaped control character in string"
        case .invalidUTF8: "invalid UTF-8"
        case let .tooDeep(limit): "nesting deeper than \(limit)"
        case .trailingContent: "content after the JSON value"
        }
        return "invalid JSON at byte \(offset): \(what)"
    }
}
