/// An issue the model created through a tool.
public struct CreatedIssue: Sendable, Equatable, Codable {
    public var number: Int?
    public var url: String?

    public init(number: Int?, url: String?) {
        self.number = number
        self.url = url
    }
}
