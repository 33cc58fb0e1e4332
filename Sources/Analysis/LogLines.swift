/// A log split into lines the way CI tooling counts them: CRLF, CR and LF each end a line.
/// Keeps only offsets into the original bytes so a 50 MB log is not copied line by line.
public struct LogLines: Sendable {
    public let bytes: [UInt8]
    /// Start offset of each line; the line ends at `ends[i]` (exclusive, terminator excluded).
    let starts: [Int]
    let ends: [Int]

    public init(_ bytes: [UInt8]) {
        self.bytes = bytes
        var starts: [Int] = []
        var ends: [Int] = []
        starts.reserveCapacity(bytes.count / 64 + 1)
        ends.reserveCapacity(bytes.count / 64 + 1)
        bytes.withUnsafeBufferPointer { buf in
            let n = buf.count
            var lineStart = 0
            var i = 0
            while i < n {
                let b = buf[i]
                if b == 0x0A || b == 0x0D {
                    starts.append(lineStart)
                    ends.append(i)
                    if b == 0x0D, i + 1 < n, buf[i + 1] == 0x0A { i += 1 }
                    lineStart = i + 1
                }
                i += 1
            }
            // A trailing terminator does not start another (empty) line.
            if lineStart < n {
                starts.append(lineStart)
                ends.append(n)
            }
        }
        self.starts = starts
        self.ends = ends
    }

    public var count: Int { starts.count }

    /// Raw bytes of line `index` (0-based), without its terminator.
    public func raw(_ index: Int) -> ArraySlice<UInt8> {
        bytes[starts[index]..<ends[index]]
    }
}
