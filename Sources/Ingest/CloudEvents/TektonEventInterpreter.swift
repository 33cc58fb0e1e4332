import Foundation
import Queue

/// Turns a Tekton CloudEvent into failure reports. Only a failed TaskRun names a pod and its
/// containers, so it is the one event type that produces jobs; a failed PipelineRun is ignored
/// because each of its failed TaskRuns sends its own event (reporting both would double up).
public enum TektonEventInterpreter {
    public static let taskRunFailed = "dev.tekton.event.taskrun.failed.v1"
    public static let pipelineRunFailed = "dev.tekton.event.pipelinerun.failed.v1"

    /// Every event type Tekton Pipelines sends (`pkg/reconciler/events/cloudevent`), plus the
    /// older `run` names; used to keep metric labels bounded.
    public static let knownTypes: Set<String> = Set(
        ["taskrun", "pipelinerun", "customrun", "run"].flatMap { kind in
            ["started", "running", "unknown", "successful", "failed"].map { "dev.tekton.event.\(kind).\($0).v1" }
        })

    /// The `type` label for counting an event: the type itself when Tekton defines it, else
    /// "other" — the type is chosen by the sender, and every distinct label value is a new series.
    public static func metricLabel(forType type: String) -> String {
        knownTypes.contains(type) ? type : "other"
    }

    static let pipelineRunLabel = "tekton.dev/pipelineRun"
    static let pipelineTaskLabel = "tekton.dev/pipelineTask"
    static let taskLabel = "tekton.dev/task"

    /// The jobs an event asks for, or why it asks for none. Throws when a failed-TaskRun event
    /// lacks what every Tekton release sends (JSON data, `taskRun`, a namespace).
    ///
    /// Outcomes of `dev.tekton.event.taskrun.failed.v1`:
    /// - one job per failed step (container `step-NAME`), see `TektonFailedSteps`;
    /// - one job for the whole pod (no container) when no step failed by itself: timeout, pod
    ///   never started (image pull, config error), eviction;
    /// - ignored when there is no pod (validation or resolution failed before one was created:
    ///   there are no logs to analyse) or the run was cancelled (a person stopped it).
    public static func outcome(for event: CloudEvent) throws(CloudEventError) -> CloudEventOutcome {
        switch event.type {
        case taskRunFailed:
            return try taskRunFailedOutcome(event)
        case pipelineRunFailed:
            return .ignored(type: event.type, reason: "PipelineRun failures are reported through their failed TaskRuns")
        default:
            return .ignored(type: event.type, reason: "only \(taskRunFailed) events are reported")
        }
    }

    private static func taskRunFailedOutcome(_ event: CloudEvent) throws(CloudEventError) -> CloudEventOutcome {
        let taskRun = try decodeTaskRun(event)
        guard let namespace = taskRun.metadata?.namespace, !namespace.isEmpty else {
            throw CloudEventError.invalidData(field: "data.taskRun.metadata.namespace", message: "is required")
        }
        let name = taskRun.metadata?.name ?? event.subject ?? "(unnamed)"
        let condition = taskRun.succeeded
        if condition?.reason == "TaskRunCancelled" {
            return .ignored(type: event.type, reason: "TaskRun \(namespace)/\(name) was cancelled")
        }
        guard let pod = taskRun.status?.podName, !pod.isEmpty else {
            let why = [condition?.reason, condition?.message].compactMap { $0 }.joined(separator: ": ")
            return .ignored(
                type: event.type,
                reason: "TaskRun \(namespace)/\(name) has no pod" + (why.isEmpty ? "" : " (\(why))"))
        }

        let pipelineRun = taskRun.label(pipelineRunLabel)
        let task = taskRun.label(pipelineTaskLabel) ?? taskRun.label(taskLabel)
        let job = { (container: String?) in
            NewJob(namespace: namespace, pod: pod, container: container, pipelineRun: pipelineRun, task: task,
                   source: .cloudevent)
        }
        let containers = TektonFailedSteps.containers(of: taskRun)
        return .reports(containers.isEmpty ? [job(nil)] : containers.map(job))
    }

    private static func decodeTaskRun(_ event: CloudEvent) throws(CloudEventError) -> TektonTaskRun {
        guard event.dataIsJSON else {
            throw CloudEventError.invalidAttribute(
                field: "datacontenttype", message: "must be JSON for \(event.type), got \(event.dataContentType ?? "")")
        }
        guard let data = event.data, !data.isEmpty else { throw CloudEventError.missingAttribute(field: "data") }
        let payload: TektonEventData
        do {
            payload = try JSONDecoder().decode(TektonEventData.self, from: data)
        } catch let error as DecodingError {
            throw dataError(error)
        } catch {
            throw CloudEventError.malformedJSON(field: "data", message: "is not valid JSON")
        }
        guard let taskRun = payload.taskRun else {
            throw CloudEventError.invalidData(field: "data.taskRun", message: "is required for \(event.type)")
        }
        return taskRun
    }

    /// A decoding failure as the JSON path it happened at, e.g. `data.taskRun.status.steps[1].name`.
    static func dataError(_ error: DecodingError) -> CloudEventError {
        func path(_ codingPath: [any CodingKey]) -> String {
            codingPath.reduce("data") { path, key in
                if let index = key.intValue { return path + "[\(index)]" }
                return path + "." + key.stringValue
            }
        }
        switch error {
        case .typeMismatch(let type, let context):
            return .invalidData(field: path(context.codingPath), message: "has the wrong type (expected \(type))")
        case .valueNotFound(let type, let context):
            return .invalidData(field: path(context.codingPath), message: "must not be null (expected \(type))")
        case .keyNotFound(let key, let context):
            return .invalidData(field: path(context.codingPath + [key]), message: "is required")
        case .dataCorrupted(let context) where context.codingPath.isEmpty:
            return .malformedJSON(field: "data", message: "is not valid JSON")
        case .dataCorrupted(let context):
            return .invalidData(field: path(context.codingPath), message: context.debugDescription)
        @unknown default:
            return .invalidData(field: "data", message: "cannot be decoded")
        }
    }
}
