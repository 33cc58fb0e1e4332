/// How the services write their log lines (`AGENT_LOG_FORMAT`).
public enum LogFormat: String, Sendable {
    /// swift-log's `StreamLogHandler` lines: for people reading a terminal.
    case text
    /// One JSON object per line (`JSONLogHandler`): for log collectors.
    case json
}
