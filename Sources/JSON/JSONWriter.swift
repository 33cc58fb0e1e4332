/// Writes JSON text as UTF-8 bytes: whole `JSONValue`s, or a document piece by piece, which
/// lets a caller splice in pre-validated `RawJSON` without building a value tree first.
/// Commas (and, when pretty, line breaks and indentation) are inserted automatically; the
/// caller is responsible for balancing begin/end and for putting a key before each object member.
public struct JSONWriter: Sendable {
    public internal(set) var bytes: [UInt8] = []
    public let sortedKeys: Bool
    /// Two-space indentation and `"key" : value`, as Foundation's `JSONEncoder` prints it.
    public let pretty: Bool

    private var depth = 0
    /// A value was written at this level, so the next one needs a comma first.
    private var needsComma = false
    /// A key was just written, so the next value follows it directly.
    private var afterKey = false

    public init(sortedKeys: Bool = false, pretty: Bool = false, capacity: Int = 256) {
        self.sortedKeys = sortedKeys
        self.pretty = pretty
        bytes.reserveCapacity(capacity)
    }

    public mutating func write(_ value: JSONValue) throws(JSONWriteError) {
        switch value {
        case .null: writeNull()
        case let .bool(value): write(bool: value)
        case let .int(value): write(int: value)
        case let .double(value): try write(double: value)
        case let .string(value): write(string: value)
        case let .array(items):
            beginArray()
            for item in items { try write(item) }
            endArray()
        case let .object(fields):
            beginObject()
            if sortedKeys {
                for (key, value) in fields.sorted(by: { $0.key < $1.key }) {
                    write(key: key)
                    try write(value)
                }
            } else {
                for (key, value) in fields {
                    write(key: key)
                    try write(value)
                }
            }
            endObject()
        }
    }

    public mutating func beginObject() {
        beforeValue()
        bytes.append(UInt8(ascii: "{"))
        open()
    }

    public mutating func endObject() {
        close()
        bytes.append(UInt8(ascii: "}"))
    }

    public mutating func beginArray() {
        beforeValue()
        bytes.append(UInt8(ascii: "["))
        open()
    }

    public mutating func endArray() {
        close()
        bytes.append(UInt8(ascii: "]"))
    }

    public mutating func write(key: String) {
        if needsComma { bytes.append(UInt8(ascii: ",")) }
        if pretty { newline() }
        appendQuoted(key)
        if pretty {
            bytes.append(contentsOf: [0x20, UInt8(ascii: ":"), 0x20])
        } else {
            bytes.append(UInt8(ascii: ":"))
        }
        afterKey = true
    }

    public mutating func write(string: String) {
        beforeValue()
        appendQuoted(string)
    }

    /// An object member with a string value.
    public mutating func write(key: String, string: String) {
        write(key: key)
        write(string: string)
    }

    public mutating func write(int: Int) {
        beforeValue()
        bytes.append(contentsOf: String(int).utf8)
    }

    /// Swift's `description` is the shortest text that reads back as the same `Double`, and is
    /// always valid JSON for finite values ("10.0", "1e+300", "-0.0").
    public mutating func write(double: Double) throws(JSONWriteError) {
        guard double.isFinite else { throw .nonFiniteNumber(double.description) }
        beforeValue()
        bytes.append(contentsOf: double.description.utf8)
    }

    public mutating func write(bool: Bool) {
        beforeValue()
        bytes.append(contentsOf: bool ? "true".utf8 : "false".utf8)
    }

    public mutating func writeNull() {
        beforeValue()
        bytes.append(contentsOf: "null".utf8)
    }

    /// Copies already validated JSON text as it is (no re-indenting when pretty).
    public mutating func write(raw: RawJSON) {
        beforeValue()
        bytes.append(contentsOf: raw.text.utf8)
    }

    private mutating func beforeValue() {
        if afterKey {
            afterKey = false
        } else {
            if needsComma { bytes.append(UInt8(ascii: ",")) }
            if pretty, depth > 0 { newline() }
        }
        needsComma = true
    }

    private mutating func open() {
        depth += 1
        needsComma = false
    }

    private mutating func close() {
        depth -= 1
        // needsComma here means the container has members, so the bracket goes on its own line.
        if pretty, needsComma { newline() }
        needsComma = true
    }

    private mutating func newline() {
        bytes.append(0x0A)
        bytes.append(contentsOf: repeatElement(0x20, count: 2 * depth))
    }
}
