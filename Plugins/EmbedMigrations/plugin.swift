import Foundation
import PackagePlugin

/// Compiles `migrations/*.sql` into the target, so every binary carries the schema it expects
/// and needs no files beside it at run time. The PostgreSQL driver's target gets
/// `migrations/postgres/*.sql` instead: the two engines' schemas evolve side by side.
@main
struct EmbedMigrations: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
        var directory = context.package.directoryURL.appending(path: "migrations")
        if target.name == "PostgresStore" { directory = directory.appending(path: "postgres") }
        let files = try FileManager.default
            .contentsOfDirectory(at: directory, includingPropertiesForKeys: nil)
            .filter { $0.pathExtension == "sql" }
            .sorted { $0.lastPathComponent < $1.lastPathComponent }
        let output = context.pluginWorkDirectoryURL.appending(path: "EmbeddedMigrations.swift")
        return [
            .buildCommand(
                displayName: "Embedding \(files.count) SQL migrations",
                executable: try context.tool(named: "embed-migrations").url,
                arguments: [output.path] + files.map(\.path),
                inputFiles: files,
                outputFiles: [output]
            )
        ]
    }
}
