/// Builds an HTML document as UTF-8 bytes. Markup goes in through `raw` (literals written in
/// this module); every value from the database — pod names, logs, model answers, which an
/// attacker may control — goes through `text`, which escapes `& < > " '`, so it can neither
/// open a tag nor leave an attribute.
struct HTMLWriter {
    private let output: OutputBytes

    init(capacity: Int = 16 * 1024) {
        output = OutputBytes(capacity: capacity)
    }

    /// The document so far.
    var bytes: [UInt8] { output.array }

    /// Markup written by this module. Never pass stored values here.
    mutating func raw(_ markup: StaticString) {
        // withUTF8Buffer: a one-character literal may have no pointer representation.
        markup.withUTF8Buffer { if let base = $0.baseAddress { output.append(base, $0.count) } }
    }

    /// Markup built from literals and numbers (e.g. an `href` with a job id).
    mutating func rawComposed(_ markup: String) {
        var markup = markup
        markup.withUTF8 { if let base = $0.baseAddress { output.append(base, $0.count) } }
    }

    /// A value, escaped for element content and quoted attribute values alike.
    mutating func text(_ value: String) {
        var value = value
        value.withUTF8 { appendEscaped($0, 0, $0.count) }
    }

    /// `utf8[start..<end]`, escaped: runs without a special character are copied at once.
    /// Byte literals, not `UInt8(ascii:)`: this loop sees every byte of a transcript, and the
    /// tests run it unoptimized.
    mutating func appendEscaped(_ utf8: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) {
        guard let base = utf8.baseAddress else { return }
        var runStart = start
        var index = start
        while index < end {
            let byte = base[index]
            // Everything above '>' (0x3E) and the common printable bytes below it need nothing.
            if byte > 0x3E || (byte != 0x26 && byte != 0x3C && byte != 0x22 && byte != 0x27 && byte != 0x3E) {
                index += 1
                continue
            }
            output.append(base + runStart, index - runStart)
            let replacement: StaticString
            switch byte {
            case 0x26: replacement = "&amp;"
            case 0x3C: replacement = "&lt;"
            case 0x3E: replacement = "&gt;"
            case 0x22: replacement = "&quot;"
            default: replacement = "&#39;"
            }
            replacement.withUTF8Buffer { output.append($0.baseAddress!, $0.count) }
            index += 1
            runStart = index
        }
        output.append(base + runStart, end - runStart)
    }

    mutating func text(_ value: Int) { rawComposed(String(value)) }
    mutating func text(_ value: Int64) { rawComposed(String(value)) }

    /// `<tag>value</tag>` for a simple element (tag from a literal).
    mutating func element(_ open: StaticString, _ value: String, close: StaticString) {
        raw(open)
        text(value)
        raw(close)
    }

    /// The escaped form of `value`, for tests and attribute-building.
    static func escape(_ value: String) -> String {
        var writer = HTMLWriter(capacity: value.utf8.count + 16)
        writer.text(value)
        return String(decoding: writer.bytes, as: UTF8.self)
    }
}

/// The growing document: one allocation doubled as needed, appended to with `memcpy`. A page
/// is hundreds of thousands of small appends, which `Array.append(contentsOf:)` makes slow in
/// unoptimized builds (the tests' speed checks run those).
private final class OutputBytes {
    private var storage: UnsafeMutablePointer<UInt8>
    private var count = 0
    private var capacity: Int

    init(capacity: Int) {
        self.capacity = max(capacity, 64)
        storage = .allocate(capacity: self.capacity)
    }

    deinit { storage.deallocate() }

    func append(_ source: UnsafePointer<UInt8>, _ length: Int) {
        guard length > 0 else { return }
        if count + length > capacity {
            var grown = capacity * 2
            while count + length > grown { grown *= 2 }
            let larger = UnsafeMutablePointer<UInt8>.allocate(capacity: grown)
            larger.update(from: storage, count: count)
            storage.deallocate()
            storage = larger
            capacity = grown
        }
        (storage + count).update(from: source, count: length)
        count += length
    }

    var array: [UInt8] { Array(UnsafeBufferPointer(start: storage, count: count)) }
}
