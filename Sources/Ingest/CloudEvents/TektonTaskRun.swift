/// The parts of a Tekton TaskRun this service reads, as Tekton puts it in CloudEvent data
/// (`{"taskRun": {...}}`, API v1beta1; v1 has the same field names here). Every field is
/// optional so that a sparse object decodes; unknown fields are ignored, wrong types are not.
struct TektonTaskRun: Decodable, Sendable {
    struct Metadata: Decodable, Sendable {
        var name: String?
        var namespace: String?
        var labels: [String: String]?
    }

    /// A knative condition; the one of type `Succeeded` is the run's outcome.
    struct Condition: Decodable, Sendable {
        var type: String?
        var status: String?
        var reason: String?
        var message: String?
    }

    /// A step's container state once it has ended (Kubernetes `ContainerStateTerminated`).
    struct Terminated: Decodable, Sendable {
        var exitCode: Int?
        var reason: String?
        var message: String?
        var startedAt: String?
        var finishedAt: String?
    }

    struct Step: Decodable, Sendable {
        var name: String?
        /// The pod container, `step-<name>`.
        var container: String?
        var terminated: Terminated?
        /// Tekton's own verdict (`Completed`, `Error`, `Continued`, `Skipped`, `TimeoutExceeded`);
        /// newer releases only — older ones leave it out.
        var terminationReason: String?
    }

    struct Status: Decodable, Sendable {
        var podName: String?
        var conditions: [Condition]?
        var steps: [Step]?
    }

    var metadata: Metadata?
    var status: Status?

    /// The `Succeeded` condition: `status` "False" once the run failed, its `reason` says why.
    var succeeded: Condition? { status?.conditions?.first { $0.type == "Succeeded" } }

    func label(_ key: String) -> String? {
        guard let value = metadata?.labels?[key], !value.isEmpty else { return nil }
        return value
    }
}

/// `data` of a Tekton CloudEvent: one root key naming the kind of run.
struct TektonEventData: Decodable, Sendable {
    var taskRun: TektonTaskRun?
}
