/// The recursive-descent state of one parse: a cursor over borrowed bytes. Lives only inside
/// `JSONParser.parse`, so the buffer outlives it.
struct JSONReader {
    let bytes: UnsafeBufferPointer<UInt8>
    let maxDepth: Int
    let allowsTrailingCommas: Bool
    var index = 0
    /// Reused for strings with escapes, so each one does not allocate its own buffer.
    var scratch: [UInt8] = []

    init(bytes: UnsafeBufferPointer<UInt8>, options: JSONParser) {
        self.bytes = bytes
        maxDepth = options.maxDepth
        allowsTrailingCommas = options.allowsTrailingCommas
    }

    mutating func document() throws(JSONParseError) -> JSONValue {
        if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { index = 3 }
        skipWhitespace()
        let value = try value(depth: 0)
        skipWhitespace()
        guard index == bytes.count else { throw JSONParseError(.trailingContent, at: index) }
        return value
    }

    mutating func value(depth: Int) throws(JSONParseError) -> JSONValue {
        guard index < bytes.count else { throw JSONParseError(.unexpectedEnd, at: index) }
        switch bytes[index] {
        case UInt8(ascii: "{"): return try object(depth: depth + 1)
        case UInt8(ascii: "["): return try array(depth: depth + 1)
        case UInt8(ascii: "\""): return .string(try string())
        case UInt8(ascii: "t"): try literal("true"); return .bool(true)
        case UInt8(ascii: "f"): try literal("false"); return .bool(false)
        case UInt8(ascii: "n"): try literal("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try number()
        case let byte: throw JSONParseError(.unexpectedByte(byte), at: index)
        }
    }

    private mutating func object(depth: Int) throws(JSONParseError) -> JSONValue {
        guard depth <= maxDepth else { throw JSONParseError(.tooDeep(limit: maxDepth), at: index) }
        index += 1
        var fields: [String: JSONValue] = [:]
        skipWhitespace()
        if try peek() == UInt8(ascii: "}") {
            index += 1
            return .object(fields)
        }
        while true {
            guard try peek() == UInt8(ascii: "\"") else { throw unexpected() }
            let key = try string()
            skipWhitespace()
            guard try peek() == UInt8(ascii: ":") else { throw unexpected() }
            index += 1
            skipWhitespace()
            fields[key] = try value(depth: depth)
            if try endOfMember(closing: UInt8(ascii: "}")) { return .object(fields) }
        }
    }

    private mutating func array(depth: Int) throws(JSONParseError) -> JSONValue {
        guard depth <= maxDepth else { throw JSONParseError(.tooDeep(limit: maxDepth), at: index) }
        index += 1
        var items: [JSONValue] = []
        skipWhitespace()
        if try peek() == UInt8(ascii: "]") {
            index += 1
            return .array(items)
        }
        while true {
            items.append(try value(depth: depth))
            if try endOfMember(closing: UInt8(ascii: "]")) { return .array(items) }
        }
    }

    /// After a member: true at the closing bracket (consumed), false after a comma with more to come.
    private mutating func endOfMember(closing: UInt8) throws(JSONParseError) -> Bool {
        skipWhitespace()
        switch try peek() {
        case closing:
            index += 1
            return true
        case UInt8(ascii: ","):
            index += 1
            skipWhitespace()
            if allowsTrailingCommas, try peek() == closing {
                index += 1
                return true
            }
            return false
        default:
            throw unexpected()
        }
    }

    private mutating func literal(_ word: StaticString) throws(JSONParseError) {
        let start = index
        for offset in 0..<word.utf8CodeUnitCount {
            guard start + offset < bytes.count else { throw JSONParseError(.unexpectedEnd, at: start + offset) }
            guard bytes[start + offset] == word.utf8Start[offset] else {
                throw JSONParseError(.unexpectedByte(bytes[start + offset]), at: start + offset)
            }
        }
        index += word.utf8CodeUnitCount
    }

    func peek() throws(JSONParseError) -> UInt8 {
        guard index < bytes.count else { throw JSONParseError(.unexpectedEnd, at: index) }
        return bytes[index]
    }

    func unexpected() -> JSONParseError {
        index < bytes.count ? JSONParseError(.unexpectedByte(bytes[index]), at: index) : JSONParseError(.unexpectedEnd, at: index)
    }

    mutating func skipWhitespace() {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x0A, 0x0D, 0x09: index += 1
            default: return
            }
        }
    }
}
