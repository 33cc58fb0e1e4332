import Foundation

/// RFC 8259 parser working on UTF-8 bytes, producing `JSONValue` without an intermediate
/// object graph. Top-level scalars are allowed; a leading UTF-8 byte order mark is skipped
/// (RFC 8259 §8.1 permits ignoring it). Duplicate keys: the last one wins.
public struct JSONParser: Sendable {
    public static let defaultMaxDepth = 512

    /// Arrays and objects nested deeper than this are rejected, so hostile input cannot exhaust the stack.
    public var maxDepth: Int
    /// Accepts one comma before `]` or `}`, which strict RFC 8259 forbids.
    public var allowsTrailingCommas: Bool

    public init(maxDepth: Int = JSONParser.defaultMaxDepth, allowsTrailingCommas: Bool = false) {
        self.maxDepth = maxDepth
        self.allowsTrailingCommas = allowsTrailingCommas
    }

    public func parse(_ data: Data) throws(JSONParseError) -> JSONValue {
        let result = data.withUnsafeBytes { raw in
            Result { () throws(JSONParseError) in try parse(bytes: raw) }
        }
        return try result.get()
    }

    public func parse(_ text: String) throws(JSONParseError) -> JSONValue {
        var text = text
        let result = text.withUTF8 { utf8 in
            Result { () throws(JSONParseError) in try parse(bytes: UnsafeRawBufferPointer(utf8)) }
        }
        return try result.get()
    }

    public func parse(bytes: UnsafeRawBufferPointer) throws(JSONParseError) -> JSONValue {
        var reader = JSONReader(bytes: bytes.assumingMemoryBound(to: UInt8.self), options: self)
        return try reader.document()
    }
}
