import ArgumentParser
import Foundation

/// Runs a root command with the project's exit codes: 0 ok, 1 the command failed (not found,
/// invalid input, unreachable peer — message on stderr), 2 usage error.
public enum CommandRunner {
    public static func main<Root: ParsableCommand>(_ root: Root.Type, arguments: [String]? = nil) async -> Never {
        do {
            var command = try Root.parseAsRoot(arguments)
            if var command = command as? any AsyncParsableCommand {
                try await command.run()
            } else {
                try command.run()
            }
            exit(0)
        } catch {
            let code = Root.exitCode(for: error)
            if code == .validationFailure {
                FileHandle.standardError.write(Data((Root.fullMessage(for: error) + "\n").utf8))
                exit(2)
            }
            // Help, version and explicit exit codes: ArgumentParser prints and exits as usual.
            if code == .success || error is ExitCode {
                Root.exit(withError: error)
            }
            FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            exit(1)
        }
    }
}

/// A failure reported to the user as is, with exit code 1.
public struct CommandFailure: Error, CustomStringConvertible {
    public let description: String

    public init(_ message: String) { description = message }
}
