import Testing
@testable import Worker

/// The race the heartbeat runs against the lease's earliest expiry: it must come back at the
/// deadline even when the operation ignores cancellation (a database call on a cut link).
@Suite struct AnswerBeforeDeadlineTests {
    /// An operation that ignores cancellation for `duration` (awaiting a task's value is not
    /// cancellable).
    static func stubborn(_ duration: Duration) -> @Sendable () async -> Int {
        { await Task.detached { try? await Task.sleep(for: duration); return 1 }.value }
    }

    @Test func anOperationThatAnswersInTimeGivesItsAnswer() async {
        let value = await answer(before: .now + .seconds(30)) { 42 }
        #expect(value == 42)
    }

    @Test func aHungOperationGivesNilAtTheDeadline() async {
        let clock = ContinuousClock()
        let start = clock.now
        let value = await answer(before: start + .milliseconds(200), of: Self.stubborn(.seconds(20)))
        #expect(value == nil)
        // The deadline, not the operation's 20 s (a loaded machine may add seconds, never 18).
        #expect(clock.now - start < .seconds(10))
        #expect(clock.now - start >= .milliseconds(200))
    }

    @Test func aCancelledCallerGetsNilWithoutWaitingForTheOperation() async {
        let clock = ContinuousClock()
        let start = clock.now
        let caller = Task { await answer(before: start + .seconds(60), of: Self.stubborn(.seconds(20))) }
        try? await Task.sleep(for: .milliseconds(100))
        caller.cancel()
        #expect(await caller.value == nil)
        #expect(clock.now - start < .seconds(10))
    }

    @Test func aCallerCancelledBeforeTheRaceStartsNothing() async {
        let started = Counter()
        let caller = Task {
            withUnsafeCurrentTask { $0?.cancel() }
            return await answer(before: .now + .seconds(60)) { await started.add(); return 1 }
        }
        #expect(await caller.value == nil)
        try? await Task.sleep(for: .milliseconds(200))
        #expect(await started.value == 0)
    }

    actor Counter {
        var value = 0
        func add() { value += 1 }
    }
}
