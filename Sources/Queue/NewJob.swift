/// A failure report to be queued: which pod (and container) failed, and where it came from.
public struct NewJob: Sendable, Equatable {
    public var namespace: String
    public var pod: String
    /// The failed container (Tekton: `step-NAME`); `nil` when the reporter did not name one.
    public var container: String?
    public var pipelineRun: String?
    public var task: String?
    public var source: JobSource
    /// Overrides the queue's default attempt budget.
    public var maxAttempts: Int?

    public init(
        namespace: String, pod: String, container: String? = nil, pipelineRun: String? = nil,
        task: String? = nil, source: JobSource = .webhook, maxAttempts: Int? = nil
    ) {
        self.namespace = namespace
        self.pod = pod
        self.container = container
        self.pipelineRun = pipelineRun
        self.task = task
        self.source = source
        self.maxAttempts = maxAttempts
    }

    /// Checks the Kubernetes name rules; the first violation is thrown as `QueueError.invalidInput`.
    public func validate() throws {
        if let violation = KubernetesName.dns1123Label.violation(namespace) {
            throw QueueError.invalidInput(field: "namespace", message: violation)
        }
        if let violation = KubernetesName.dns1123Subdomain.violation(pod) {
            throw QueueError.invalidInput(field: "pod_name", message: violation)
        }
        if let container, let violation = KubernetesName.dns1123Label.violation(container) {
            throw QueueError.invalidInput(field: "container_name", message: violation)
        }
        if let maxAttempts, !(1...100).contains(maxAttempts) {
            throw QueueError.invalidInput(field: "max_attempts", message: "must be between 1 and 100")
        }
    }
}
