import ArgumentParser
import CLI
import Store

struct MigrateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate",
        abstract: "Bring the database schema up to date (every process also does this at start)."
    )

    @OptionGroup var options: DatabaseOptions

    struct Output: Encodable {
        let applied: [String]
        let version: Int
    }

    func run() async throws {
        let connection = try Connection.openCreatingDirectory(path: options.path, options: try options.settings.connectionOptions())
        let migrator = Migrator(migrations: Schema.migrations)
        let applied = try migrator.migrate(connection)
        let version = try migrator.currentVersion(connection)
        if options.json {
            print(try JSONOutput.encode(Output(applied: applied.map { String(format: "%04d_%@", $0.version, $0.name) }, version: version)))
        } else if applied.isEmpty {
            print("schema up to date (version \(version)) in \(options.path)")
        } else {
            for migration in applied { print("applied \(String(format: "%04d", migration.version))_\(migration.name)") }
            print("schema at version \(version) in \(options.path)")
        }
    }
}
