import Foundation

/// A CloudEvent (spec v1.0) as received over HTTP, independent of the content mode it came in.
/// Only the context attributes this service reads are kept; extensions are dropped.
public struct CloudEvent: Sendable, Equatable {
    public var specVersion: String
    public var type: String
    public var source: String
    public var id: String
    public var subject: String?
    /// RFC 3339 timestamp as sent; kept as text because nothing here computes with it.
    public var time: String?
    /// Media type of `data` (binary mode: the `Content-Type` header).
    public var dataContentType: String?
    /// The event payload as bytes: the body in binary mode; in structured mode the `data`
    /// member re-serialized (JSON) or `data_base64` decoded.
    public var data: Data?

    public init(
        specVersion: String = "1.0", type: String, source: String, id: String, subject: String? = nil,
        time: String? = nil, dataContentType: String? = nil, data: Data? = nil
    ) {
        self.specVersion = specVersion
        self.type = type
        self.source = source
        self.id = id
        self.subject = subject
        self.time = time
        self.dataContentType = dataContentType
        self.data = data
    }

    /// Whether `data` is declared as JSON (`application/json`, `text/json` or any `+json`
    /// suffix). An absent content type counts as JSON: the spec's default for JSON formats,
    /// and what a sender that omits it almost always means.
    public var dataIsJSON: Bool {
        guard let mediaType = CloudEventParser.mediaType(dataContentType) else { return true }
        return mediaType == "application/json" || mediaType == "text/json" || mediaType.hasSuffix("+json")
    }
}
