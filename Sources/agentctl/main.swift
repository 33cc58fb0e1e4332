// Placeholder root for the mcp branch; the lead's real root registers MCPCommand too.
import ArgumentParser

struct AgentCtl: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "agentctl", abstract: "Pipeline agent admin CLI.", subcommands: [MCPCommand.self])

    /// Parses and runs the subcommand; from top-level code ArgumentParser would pick its
    /// synchronous entry point, which refuses async commands on Linux.
    static func dispatch() async {
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            exit(withError: error)
        }
    }
}

await AgentCtl.dispatch()
