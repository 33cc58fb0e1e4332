/// A named lease in the shared database that at most one holder has at a time: the storage
/// seam under `LeaderElection`. The database's clock judges expiry, never a host's (replicas'
/// clocks differ), so a holder that died or lost its network is replaced once its lease ends.
public protocol LeaderLease: Sendable {
    /// Takes `name` for `holder` when it is free or expired, or renews it when `holder` has it;
    /// the lease then ends `ttl` after the statement ran. Returns whether `holder` has it.
    func acquire(_ name: String, holder: String, ttl: Duration) async throws -> Bool
    /// Gives `name` up if `holder` has it (graceful shutdown): another takes over at once.
    func release(_ name: String, holder: String) async throws
}
