import Foundation

extension JSONValue {
    /// Parses JSON text: the one entry point for bodies, tool arguments and results.
    /// Accepts a trailing comma before `]` or `}`, as Foundation's parsers did, because models
    /// sometimes write one in tool arguments.
    public static func decode(_ data: Data) throws(JSONParseError) -> JSONValue {
        try JSONParser(allowsTrailingCommas: true).parse(data)
    }

    public func encoded(sortedKeys: Bool = false, pretty: Bool = false) throws(JSONWriteError) -> Data {
        var writer = JSONWriter(sortedKeys: sortedKeys, pretty: pretty)
        try writer.write(self)
        return Data(writer.bytes)
    }

    /// Compact JSON text with sorted keys; "null" if the value cannot be written (non-finite numbers).
    public var jsonText: String {
        var writer = JSONWriter(sortedKeys: true)
        do {
            try writer.write(self)
        } catch {
            return "null"
        }
        return String(decoding: writer.bytes, as: UTF8.self)
    }
}
