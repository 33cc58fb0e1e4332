/// How the queue benchmark's idle workers wait, as `WorkerService` does (`WorkerState`): until
/// a wake-up (a job enqueued in this process, `JobArrivals`, as under `pipeline-agent serve`)
/// or the poll interval, whichever comes first, instead of leasing again every millisecond.
/// The end of the run wakes them all, as the worker's shutdown does.
actor IdleWorkers {
    private var waiters: [Int: CheckedContinuation<Void, Never>] = [:]
    private var nextWaiter = 0

    func wakeAll() {
        let woken = waiters
        waiters = [:]
        for continuation in woken.values { continuation.resume() }
    }

    /// Suspends until `wakeAll` or `timeout`.
    func wait(timeout: Duration) async {
        let id = nextWaiter
        nextWaiter += 1
        let timer = Task { [weak self] in
            try? await Task.sleep(for: timeout)
            await self?.wake(id)
        }
        // Registered before this actor is free again, so the timer cannot fire first.
        await withCheckedContinuation { waiters[id] = $0 }
        timer.cancel()
    }

    private func wake(_ id: Int) {
        waiters.removeValue(forKey: id)?.resume()
    }
}
