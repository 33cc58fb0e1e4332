import ArgumentParser
import CLI
import Queue

struct JobsCancelCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cancel",
        abstract: "Cancel a queued or running job (a running worker's result is then refused)."
    )

    @OptionGroup var options: DatabaseOptions

    @Argument(help: "Job id.")
    var id: Int64

    func run() async throws {
        let job = try await options.openQueue().cancel(id: id)
        print(options.json ? try JSONOutput.encode(job) : "job \(job.id): \(job.state.rawValue)")
    }
}
