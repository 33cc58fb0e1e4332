/// One response header line as libcurl hands it over (line break included), parsed on the
/// bytes: trimming each line with Foundation cost about 1% of a worker's CPU.
enum HTTPHeaderLine: Equatable {
    /// "HTTP/1.1 200 OK": a header block starts (another follows a redirect or a 1xx); 0 when unreadable.
    case status(Int)
    /// The empty line that ends a header block.
    case end
    case field(name: String, value: String)
    /// A line without a colon; ignored.
    case other

    init(_ raw: UnsafeRawBufferPointer) {
        var start = raw.startIndex, end = raw.endIndex
        while start < end, Self.isWhitespace(raw[start]) { start += 1 }
        while end > start, Self.isWhitespace(raw[end - 1]) { end -= 1 }
        let line = UnsafeRawBufferPointer(rebasing: raw[start..<end])
        if line.isEmpty {
            self = .end
        } else if line.starts(with: "HTTP/".utf8) {
            self = .status(Self.statusCode(line))
        } else if let colon = line.firstIndex(of: UInt8(ascii: ":")) {
            var valueStart = colon + 1
            while valueStart < line.endIndex, Self.isWhitespace(line[valueStart]) { valueStart += 1 }
            self = .field(name: Self.text(line[..<colon]), value: Self.text(line[valueStart...]))
        } else {
            self = .other
        }
    }

    /// The second space-separated word of a status line, when it is a number.
    private static func statusCode(_ line: UnsafeRawBufferPointer) -> Int {
        let space = UInt8(ascii: " ")
        guard var index = line.firstIndex(of: space) else { return 0 }
        while index < line.endIndex, line[index] == space { index += 1 }
        var code = 0, digits = 0
        while index < line.endIndex, line[index] != space {
            guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(line[index]), digits < 9 else { return 0 }
            code = code * 10 + Int(line[index] - UInt8(ascii: "0"))
            digits += 1
            index += 1
        }
        return code
    }

    /// Space, tab, line feed, vertical tab, form feed, carriage return.
    private static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || (0x09...0x0D).contains(byte)
    }

    private static func text(_ bytes: Slice<UnsafeRawBufferPointer>) -> String {
        String(decoding: UnsafeRawBufferPointer(rebasing: bytes).assumingMemoryBound(to: UInt8.self), as: UTF8.self)
    }
}
