/// Why an event stream could not be parsed.
public enum SSEParserError: Error, Sendable, Equatable, CustomStringConvertible {
    case eventTooLarge(limit: Int)

    public var description: String {
        switch self {
        case let .eventTooLarge(limit): "server-sent event exceeds the limit of \(limit) bytes"
        }
    }
}
