/// One dispatched server-sent event.
public struct SSEEvent: Sendable, Equatable {
    /// The `event:` field, or "message" when the event named none.
    public var type: String
    /// All `data:` lines joined with "\n".
    public var data: String
    /// The last event id seen so far on the stream (ids persist across events).
    public var lastEventID: String
    /// Reconnection time in milliseconds, when the event carried a valid `retry:`.
    public var retry: Int?

    public init(type: String = "message", data: String, lastEventID: String = "", retry: Int? = nil) {
        self.type = type
        self.data = data
        self.lastEventID = lastEventID
        self.retry = retry
    }
}
