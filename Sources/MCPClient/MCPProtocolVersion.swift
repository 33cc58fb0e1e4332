/// Protocol revisions this client speaks, newest first; `initialize` offers the first and accepts
/// any of them in the answer.
public enum MCPProtocolVersion {
    public static let supported = ["2025-06-18", "2025-03-26", "2024-11-05"]
    public static var latest: String { supported[0] }
}
