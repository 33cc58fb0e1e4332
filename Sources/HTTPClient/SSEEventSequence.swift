import Foundation

/// Turns a stream of body chunks into server-sent events as they arrive.
public struct SSEEventSequence<Base: AsyncSequence & Sendable>: AsyncSequence, Sendable
where Base.Element == Data {
    public typealias Element = SSEEvent
    let base: Base
    let maxEventBytes: Int

    public init(_ base: Base, maxEventBytes: Int = Int.max) {
        self.base = base
        self.maxEventBytes = maxEventBytes
    }

    public struct AsyncIterator: AsyncIteratorProtocol {
        var chunks: Base.AsyncIterator
        var parser: SSEParser
        var ready: [SSEEvent] = []

        public mutating func next() async throws -> SSEEvent? {
            while ready.isEmpty {
                guard let chunk = try await chunks.next() else { return nil }
                ready = try parser.feed(chunk)
            }
            return ready.removeFirst()
        }
    }

    public func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(chunks: base.makeAsyncIterator(), parser: SSEParser(maxEventBytes: maxEventBytes))
    }
}

extension HTTPStreamingResponse {
    /// The body read as `text/event-stream`.
    public func events(maxEventBytes: Int = Int.max) -> SSEEventSequence<AsyncThrowingStream<Data, any Error>> {
        SSEEventSequence(body, maxEventBytes: maxEventBytes)
    }
}
