import Dispatch
import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Synchronization

/// Makes committed batches durable on a thread of its own, so that the database thread runs
/// the next batch's SQL while the disk flushes the last one's WAL frames.
///
/// With `synchronous=FULL` SQLite flushes the WAL inside COMMIT, on the database thread: the
/// queue benchmark's database thread spent about a sixth of its time waiting there, and the
/// flush's own kernel time was another 6 % of its samples, while the second core sat idle.
/// Instead the connection commits with `synchronous=NORMAL` (frames written, not flushed) and
/// this flushes the WAL file (`fdatasync`) before the batch's writers are answered. A writer
/// still hears of its commit only once it is on disk, as under FULL; what changes is that the
/// next batch, and readers, may see a commit a moment before it is durable. A write that
/// depends on such a commit is answered after a later flush, which covers the earlier frames
/// too. A checkpoint (on the database thread) flushes the WAL itself before copying it.
///
/// Batches committed while a flush runs wait and share the next one.
///
/// A failed flush (EIO from a failing disk) fails its writers with a transient error, so
/// none is told its write is durable. Unlike a failure of FULL's flush inside COMMIT, which
/// leaves the transaction unpublished, the commit stays visible to later reads and writes,
/// and Linux may drop the pages it could not write: a power loss may then lose it, as under
/// `synchronous=NORMAL`, for that batch only.
final class WALSync: Sendable {
    /// What is flushed: the WAL file (`<database>-wal`), or the database file when there is none.
    private let walPath: String
    private let databasePath: String
    private let queue: DispatchQueue
    private let pending = Mutex(Pending())
    /// The flush; tests put a slow or failing one in its place. Returns errno, 0 on success.
    private let flush: @Sendable (Int32) -> Int32
    // Touched only on `queue`.
    nonisolated(unsafe) private var file: (descriptor: Int32, path: String)?

    private struct Pending: ~Copyable {
        var writes: [any BatchedWrite] = []
        var draining = false
    }

    init(databasePath: String, flush: @escaping @Sendable (Int32) -> Int32 = WALSync.fdatasync) {
        self.databasePath = databasePath
        self.walPath = databasePath + "-wal"
        self.flush = flush
        self.queue = DispatchQueue(label: "sqlite-wal-sync:\(databasePath)")
    }

    deinit {
        if let file { close(file.descriptor) }
    }

    static let fdatasync: @Sendable (Int32) -> Int32 = { descriptor in
        Glibc.fdatasync(descriptor) == 0 ? 0 : errno
    }

    /// Writes committed and waiting for a flush (not counting the ones of a flush under way).
    var waitingWrites: Int { pending.withLock { $0.writes.count } }

    /// Answers `writes` (committed) once the WAL is flushed.
    func answerWhenDurable(_ writes: [any BatchedWrite]) {
        let start = pending.withLock { state in
            state.writes.append(contentsOf: writes)
            defer { state.draining = true }
            return !state.draining
        }
        if start { queue.async { self.drain() } }
    }

    private func drain() {
        while true {
            let writes: [any BatchedWrite] = pending.withLock { state in
                let taken = state.writes
                state.writes.removeAll(keepingCapacity: true)
                if taken.isEmpty { state.draining = false }
                return taken
            }
            if writes.isEmpty { return }
            let error = flushWAL()
            for write in writes { write.finish(commitError: error) }
        }
    }

    /// Flushes the WAL file, opened once and again when SQLite replaced it; the database file
    /// when there is no WAL (SQLite removes it only after checkpointing it into the database).
    private func flushWAL() -> (any Error)? {
        if let current = file, !Self.sameFile(current.descriptor, path: current.path) {
            close(current.descriptor)
            file = nil
        }
        if file == nil {
            for path in [walPath, databasePath] {
                let descriptor = open(path, O_RDONLY | O_CLOEXEC)
                if descriptor >= 0 {
                    file = (descriptor, path)
                    break
                }
            }
        }
        guard let file else {
            return SQLiteError(code: 10, message: "cannot open \(walPath) to flush it: \(String(cString: strerror(errno)))", path: databasePath)
        }
        let code = flush(file.descriptor)
        guard code == 0 else {
            // SQLITE_IOERR_FSYNC: the commit may or may not be on disk; the writer is told it failed.
            return SQLiteError(code: 1034, message: "flushing \(file.path) failed: \(String(cString: strerror(code)))", path: databasePath)
        }
        return nil
    }

    /// Whether `descriptor` is still the file at `path` (same device and inode).
    private static func sameFile(_ descriptor: Int32, path: String) -> Bool {
        var open = stat(), named = stat()
        guard fstat(descriptor, &open) == 0, stat(path, &named) == 0 else { return false }
        return open.st_dev == named.st_dev && open.st_ino == named.st_ino
    }
}
