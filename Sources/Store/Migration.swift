/// One schema step, from `migrations/NNNN_name.sql`.
public struct Migration: Sendable, Equatable {
    public let version: Int
    public let name: String
    public let sql: String

    public init(version: Int, name: String, sql: String) {
        self.version = version
        self.name = name
        self.sql = sql
    }

    /// Parses a file name of the form `0001_create_jobs.sql`.
    public init(fileName: String, sql: String) throws {
        let stem = fileName.hasSuffix(".sql") ? String(fileName.dropLast(4)) : fileName
        let parts = stem.split(separator: "_", maxSplits: 1)
        guard parts.count == 2, let version = Int(parts[0]), version > 0 else {
            throw MigrationError.invalidFileName(fileName)
        }
        self.init(version: version, name: String(parts[1]), sql: sql)
    }
}

/// The schema this binary carries: `migrations/*.sql`, embedded at build time.
public enum Schema {
    public static let migrations: [Migration] = embeddedMigrations.map {
        // The build fails on nothing here, so a bad file name must stop every process loudly.
        do { return try Migration(fileName: $0.file, sql: $0.sql) } catch { fatalError("\(error)") }
    }

    public static var latestVersion: Int { migrations.map(\.version).max() ?? 0 }
}

public enum MigrationError: Error, CustomStringConvertible, Equatable {
    case invalidFileName(String)
    case duplicateVersion(Int)
    case databaseNewer(databaseVersion: Int, knownVersion: Int, path: String)
    case notCurrent(databaseVersion: Int, knownVersion: Int, path: String)

    public var description: String {
        switch self {
        case .invalidFileName(let name):
            return "migration file name \(name) is not NNNN_name.sql"
        case .duplicateVersion(let version):
            return "two migrations have version \(version)"
        case .databaseNewer(let database, let known, let path):
            return "database \(path) has schema version \(database), newer than this binary knows (\(known)); "
                + "upgrade the binary or point it at another database"
        case .notCurrent(let database, let known, let path):
            return "database \(path) is at schema version \(database), this binary needs \(known)"
        }
    }
}
