import Queue

/// A job for a namespace outside `AGENT_NAMESPACES`: permanent, another try cannot fix it.
public struct NamespaceNotAllowed: JobFailureConvertible, CustomStringConvertible {
    public let message: String

    public var jobFailure: JobFailure {
        JobFailure(message: message, errorClass: "namespace_not_allowed", retryable: false)
    }

    public var description: String { message }
}
