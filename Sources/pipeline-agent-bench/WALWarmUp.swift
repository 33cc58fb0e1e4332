import ArgumentParser

/// `--wal-warmup` of the benchmarks that take `--db`: WAL written and recycled before the
/// measured phases (`BenchDatabases.recycleWAL`), so that a server started just for the
/// benchmark is measured as one that has been running, and the engines compared in one run
/// (ours, PgQueuer) find the same WAL state whichever goes first.
struct WALWarmUp: ParsableArguments {
    @Option(help: "With --db: megabytes of WAL written in a scratch database and recycled before measuring (0: none). A fresh server otherwise stalls commits while it zero-fills new WAL segments.")
    var walWarmup = 256

    func validate() throws {
        guard (0...4096).contains(walWarmup) else { throw ValidationError("--wal-warmup is 0...4096 (MB)") }
    }

    func run(_ databases: BenchDatabases) async throws {
        guard walWarmup > 0 else {
            print("WAL warm-up: none (--wal-warmup 0)")
            return
        }
        let took = try await databases.recycleWAL(megabytes: walWarmup)
        print("WAL warm-up: \(walWarmup) MB written in a scratch database, recycled by dropping it (\(took.formattedMilliseconds))")
    }
}
