import PostgresNIO
import Worker

/// Leader leases as rows of `leaders`, judged by the database's `now()`: one upsert takes a
/// free or expired lease, or renews the holder's own; it returns a row only to the holder.
/// A row rather than a session advisory lock: a server keeps a session lock of a client whose
/// link was cut until TCP keepalive notices (hours by default), a row expires on time.
public struct PostgresLeaderLease: LeaderLease {
    public let backend: PostgresBackend

    public init(backend: PostgresBackend) {
        self.backend = backend
    }

    public func acquire(_ name: String, holder: String, ttl: Duration) async throws -> Bool {
        try await backend.first("""
            INSERT INTO leaders (name, holder, expires_at)
            VALUES (\(name), \(holder), now() + \(ttl.wholeMilliseconds)::float8 * interval '1 millisecond')
            ON CONFLICT (name) DO UPDATE
                SET holder = EXCLUDED.holder, expires_at = EXCLUDED.expires_at,
                    acquired_at = CASE WHEN leaders.holder = EXCLUDED.holder THEN leaders.acquired_at ELSE now() END
                WHERE leaders.holder = EXCLUDED.holder OR leaders.expires_at <= now()
            RETURNING 1
            """) { _ in true } ?? false
    }

    public func release(_ name: String, holder: String) async throws {
        try await backend.execute("DELETE FROM leaders WHERE name = \(name) AND holder = \(holder)")
    }
}
