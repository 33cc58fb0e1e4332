import ArgumentParser

// Minimal root so the excerpt command can run on this branch; the lead's root replaces it.
struct AgentCtl: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "agentctl",
        subcommands: [ExcerptCommand.self]
    )
}

// Top-level code cannot use @main, and there a bare `run()` resolves to the synchronous
// overload; inside an async function the async one is chosen.
func runAgentCtl() async {
    do {
        var command = try AgentCtl.parseAsRoot()
        if var asyncCommand = command as? AsyncParsableCommand {
            try await asyncCommand.run()
        } else {
            try command.run()
        }
    } catch {
        AgentCtl.exit(withError: error)
    }
}

await runAgentCtl()
