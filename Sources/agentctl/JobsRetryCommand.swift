import ArgumentParser
import CLI
import Queue

struct JobsRetryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "retry",
        abstract: "Send failed, dead or cancelled jobs back to the queue with a fresh attempt budget."
    )

    @OptionGroup var options: DatabaseOptions

    @Argument(help: "Job ids.")
    var ids: [Int64] = []

    @Flag(help: "Retry every dead job.")
    var allDead = false

    struct Output: Encodable {
        let retried: [Int64]
        let errors: [String]
    }

    func validate() throws {
        if allDead == !ids.isEmpty { throw ValidationError("give job ids or --all-dead (not both)") }
    }

    func run() async throws {
        let queue = try await options.openQueue()
        var retried: [Int64] = []
        var errors: [String] = []
        if allDead {
            retried = try await queue.retryAllDead()
        } else {
            for id in ids {
                do {
                    retried.append(try await queue.retry(id: id).id)
                } catch let error as QueueError {
                    errors.append(error.description)
                }
            }
        }
        if options.json {
            print(try JSONOutput.encode(Output(retried: retried, errors: errors)))
        } else {
            for id in retried { print("job \(id): queued") }
            if allDead && retried.isEmpty { print("no dead jobs") }
        }
        if !errors.isEmpty { throw CommandFailure(errors.joined(separator: "\n")) }
    }
}
