/// An issue the model created through a tool.
public struct CreatedIssue: Sendable, Equatable, Codable {
    public var number: Int?
    public var url: String?
    /// As filed (the server's answer, else what was sent): the failure group's title.
    public var title: String?

    public init(number: Int?, url: String?, title: String? = nil) {
        self.number = number
        self.url = url
        self.title = title
    }
}
