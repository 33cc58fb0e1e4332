/// The failed pod an analysis is about.
public struct PodContext: Sendable, Equatable, Codable {
    public var namespace: String
    public var pod: String
    public var container: String?
    public var pipelineRun: String?
    public var task: String?

    public init(namespace: String, pod: String, container: String? = nil, pipelineRun: String? = nil, task: String? = nil) {
        self.namespace = namespace
        self.pod = pod
        self.container = container
        self.pipelineRun = pipelineRun
        self.task = task
    }
}
