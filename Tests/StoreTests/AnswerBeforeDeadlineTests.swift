import Synchronization
import Testing
import Store

/// The race the heartbeat runs against the lease's earliest expiry: it must come back at the
/// deadline even when the operation ignores cancellation (a database call on a cut link).
@Suite struct AnswerBeforeDeadlineTests {
    /// An operation that ignores cancellation for `duration` (awaiting a task's value is not
    /// cancellable) and marks `ended` when it is over. The tests check that the answer came
    /// while it still ran, not how long that took: a loaded machine stalls a test process
    /// for seconds, even a minute.
    static func stubborn(_ duration: Duration, ended: Ended) -> @Sendable () async -> Int {
        {
            await Task.detached {
                try? await Task.sleep(for: duration)
                ended.mark()
                return 1
            }.value
        }
    }

    final class Ended: Sendable {
        private let value = Atomic(false)
        var isMarked: Bool { value.load(ordering: .acquiring) }
        func mark() { value.store(true, ordering: .releasing) }
    }

    @Test func anOperationThatAnswersInTimeGivesItsAnswer() async {
        let value = await answer(before: .now + .seconds(30)) { 42 }
        #expect(value == 42)
    }

    @Test func aHungOperationGivesNilAtTheDeadline() async {
        let clock = ContinuousClock()
        let start = clock.now
        let ended = Ended()
        let value = await answer(before: start + .milliseconds(200), of: Self.stubborn(.seconds(300), ended: ended))
        #expect(value == nil)
        #expect(!ended.isMarked, "answered only once the operation was over")
        #expect(clock.now - start >= .milliseconds(200))
    }

    @Test func aCancelledCallerGetsNilWithoutWaitingForTheOperation() async {
        let ended = Ended()
        let caller = Task { await answer(before: .now + .seconds(600), of: Self.stubborn(.seconds(300), ended: ended)) }
        try? await Task.sleep(for: .milliseconds(100))
        caller.cancel()
        #expect(await caller.value == nil)
        #expect(!ended.isMarked, "answered only once the operation was over")
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
