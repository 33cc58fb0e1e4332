/// Incremental parser for `text/event-stream` per the WHATWG HTML rules: lines end in CRLF, LF
/// or CR (also split across chunks); `:` starts a comment; `data` lines join with LF;
/// an empty line dispatches; an event without data is dropped; `id` with NUL is ignored;
/// `retry` takes digits only; an unterminated event at end of stream is discarded.
public struct SSEParser: Sendable {
    public let maxEventBytes: Int
    public private(set) var lastEventID = ""

    private var line: [UInt8] = []
    private var data: [UInt8] = []
    private var hasData = false
    private var eventType = ""
    private var pendingID: String?
    private var retry: Int?
    private var afterCR = false
    private var isFirstLine = true

    /// `maxEventBytes` bounds one event's data plus its current line, so a hostile or broken
    /// server cannot grow memory without end.
    public init(maxEventBytes: Int = Int.max) {
        self.maxEventBytes = maxEventBytes
    }

    /// Feeds the next chunk; returns the events it completed.
    public mutating func feed(_ bytes: some Sequence<UInt8>) throws(SSEParserError) -> [SSEEvent] {
        var events: [SSEEvent] = []
        for byte in bytes {
            if afterCR {
                afterCR = false
                if byte == 0x0A { continue }
            }
            switch byte {
            case 0x0D:
                afterCR = true
                if let event = processLine() { events.append(event) }
            case 0x0A:
                if let event = processLine() { events.append(event) }
            default:
                line.append(byte)
                if line.count + data.count > maxEventBytes {
                    throw .eventTooLarge(limit: maxEventBytes)
                }
            }
        }
        return events
    }

    private mutating func processLine() -> SSEEvent? {
        defer { line.removeAll(keepingCapacity: true) }
        if isFirstLine {
            isFirstLine = false
            stripByteOrderMark()
        }
        if line.isEmpty { return dispatch() }
        if line[0] == UInt8(ascii: ":") { return nil }
        let name: ArraySlice<UInt8>
        var value: ArraySlice<UInt8>
        if let colon = line.firstIndex(of: UInt8(ascii: ":")) {
            name = line[..<colon]
            value = line[(colon + 1)...]
            if value.first == UInt8(ascii: " ") { value = value.dropFirst() }
        } else {
            name = line[...]
            value = []
        }
        switch String(decoding: name, as: UTF8.self) {
        case "event":
            eventType = String(decoding: value, as: UTF8.self)
        case "data":
            if hasData { data.append(0x0A) }
            data.append(contentsOf: value)
            hasData = true
        case "id":
            if !value.contains(0) { pendingID = String(decoding: value, as: UTF8.self) }
        case "retry":
            if !value.isEmpty, value.allSatisfy({ (0x30...0x39).contains($0) }) {
                retry = Int(String(decoding: value, as: UTF8.self))
            }
        default:
            break
        }
        return nil
    }

    private mutating func dispatch() -> SSEEvent? {
        if let pendingID { lastEventID = pendingID }
        pendingID = nil
        defer {
            data.removeAll(keepingCapacity: false)
            hasData = false
            eventType = ""
            retry = nil
        }
        guard hasData else { return nil }
        return SSEEvent(
            type: eventType.isEmpty ? "message" : eventType,
            data: String(decoding: data, as: UTF8.self),
            lastEventID: lastEventID,
            retry: retry
        )
    }

    /// A UTF-8 BOM may open the stream; it is not part of the first field name.
    private mutating func stripByteOrderMark() {
        if line.starts(with: [0xEF, 0xBB, 0xBF]) { line.removeFirst(3) }
    }
}
