import ArgumentParser
import CLI
import Queue

struct JobsEnqueueCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "enqueue",
        abstract: "Report a failed pod by hand (same dedupe rules as the webhook)."
    )

    @OptionGroup var options: DatabaseOptions

    @Option(help: "Namespace of the failed pod.")
    var namespace: String

    @Option(help: "Name of the failed pod.")
    var pod: String

    @Option(help: "Failed container (Tekton: step-NAME).")
    var container: String?

    @Option(help: "PipelineRun name.")
    var pipelineRun: String?

    @Option(help: "Task name.")
    var task: String?

    struct Output: Encodable {
        let job: Job
        let duplicate: Bool
    }

    func run() async throws {
        let result = try await options.openQueue().enqueue(
            NewJob(namespace: namespace, pod: pod, container: container, pipelineRun: pipelineRun, task: task, source: .cli))
        if options.json {
            print(try JSONOutput.encode(Output(job: result.job, duplicate: result.duplicate)))
        } else if result.duplicate {
            print("job \(result.job.id): already \(result.job.state.rawValue) (\(result.job.reportCount) reports)")
        } else {
            print("job \(result.job.id): queued")
        }
    }
}
