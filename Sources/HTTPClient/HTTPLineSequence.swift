import Foundation

/// Turns a stream of body chunks into text lines as they arrive (LF ends a line, a CR before
/// it is dropped; a last line without LF is still returned).
public struct HTTPLineSequence<Base: AsyncSequence & Sendable>: AsyncSequence, Sendable where Base.Element == Data {
    public typealias Element = String
    let base: Base
    let maxLineBytes: Int
    /// Named in the error when a line exceeds `maxLineBytes`.
    let url: String

    public init(_ base: Base, maxLineBytes: Int = Int.max, url: String = "") {
        self.base = base
        self.maxLineBytes = maxLineBytes
        self.url = url
    }

    public struct AsyncIterator: AsyncIteratorProtocol {
        var chunks: Base.AsyncIterator
        let maxLineBytes: Int
        let url: String
        var buffer: [UInt8] = []
        var ready: [String] = []
        var ended = false

        public mutating func next() async throws -> String? {
            while ready.isEmpty {
                if ended { return nil }
                guard let chunk = try await chunks.next() else {
                    ended = true
                    if !buffer.isEmpty { ready.append(Self.text(buffer)); buffer = [] }
                    break
                }
                for byte in chunk {
                    if byte == 0x0A {
                        ready.append(Self.text(buffer))
                        buffer.removeAll(keepingCapacity: true)
                    } else {
                        buffer.append(byte)
                        if buffer.count > maxLineBytes { throw HTTPClientError.responseTooLarge(url: url, limit: maxLineBytes) }
                    }
                }
            }
            return ready.isEmpty ? nil : ready.removeFirst()
        }

        private static func text(_ bytes: [UInt8]) -> String {
            String(decoding: bytes.last == 0x0D ? bytes.dropLast() : bytes[...], as: UTF8.self)
        }
    }

    public func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(chunks: base.makeAsyncIterator(), maxLineBytes: maxLineBytes, url: url)
    }
}

extension HTTPStreamingResponse {
    /// The body as text lines, each delivered as soon as its LF arrives.
    public func lines(maxLineBytes: Int = Int.max) -> HTTPLineSequence<AsyncThrowingStream<Data, any Error>> {
        HTTPLineSequence(body, maxLineBytes: maxLineBytes, url: url)
    }
}
