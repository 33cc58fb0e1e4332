/// What the lease loop waits on: jobs finishing and shutdown beginning.
actor WorkerState {
    private(set) var running = 0
    private(set) var isStopping = false
    /// Between passing the readiness check and the start of shutdown.
    private(set) var isLeasing = false
    private var waiters: [Int: CheckedContinuation<Void, Never>] = [:]
    private var nextWaiter = 0

    func jobStarted() {
        running += 1
        WorkerMetrics.leasesInFlight(running)
    }

    func jobFinished() {
        running -= 1
        WorkerMetrics.leasesInFlight(running)
        wakeAll()
    }

    func startLeasing() { isLeasing = !isStopping }

    /// Something may be due (a notification from the database): waiting lease loops look now.
    func nudge() { wakeAll() }

    func stop() {
        isStopping = true
        isLeasing = false
        wakeAll()
    }

    /// Suspends until a job finishes, shutdown begins, or `timeout` passes.
    func waitForChange(timeout: Duration) async {
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

    /// Waits until no job runs; false when `timeout` passed first.
    func waitUntilIdle(timeout: Duration) async -> Bool {
        let deadline = ContinuousClock.now + timeout
        while running > 0 {
            let remaining = deadline - ContinuousClock.now
            if remaining <= .zero { return false }
            await waitForChange(timeout: remaining)
        }
        return true
    }

    private func wake(_ id: Int) {
        waiters.removeValue(forKey: id)?.resume()
    }

    private func wakeAll() {
        let woken = waiters.values
        waiters.removeAll()
        for waiter in woken { waiter.resume() }
    }
}
