import Foundation
import Queue
import TestSupport

/// A worker SIGKILLed while its job waits on the model: the setting of the lease tests. The
/// scripted model's first answer takes 20 s, so the job is surely running when the kill lands;
/// the second answer serves the next worker. The ingest process keeps running.
struct CrashedWorker {
    let scenario: Scenario
    let environment: [String: String]
    let ingest: AgentProcess
    let queue: SQLiteJobQueue
    let jobID: Int64

    init(pod: String, run: Int, environment overrides: [String: String]) async throws {
        scenario = try await Scenario(pods: ["ci/\(pod)": FailingLogs.goTestFailure(run: run)])
        try await scenario.model.script([
            ScriptedModel.text(IssueDraft.body(place: "ci/\(pod)")).merging(["delay": 20.0]) { $1 },
            ScriptedModel.text(IssueDraft.body(place: "ci/\(pod)")),
        ])
        environment = scenario.environment(overrides)
        ingest = try await AgentProcess.webhook("ingest", environment: environment)
        do {
            jobID = try Scenario.jobID(try await ingest.report(namespace: "ci", pod: pod, container: FailingLogs.container).location)
            queue = try scenario.openQueue()
            let crashing = try AgentProcess.worker(environment: environment)
            _ = try await eventually("the job to reach the model", timeout: .seconds(60)) { [scenario] in
                try await scenario.model.requests().isEmpty ? nil : true
            }
            crashing.kill()
            _ = try await crashing.child.wait(timeout: .seconds(10))
        } catch {
            ingest.kill()
            throw error
        }
    }
}
