@testable import PostgresStore
import Testing

/// A batch whose run never returns (a connection gone silent) fails its requests at the
/// deadline and frees its slot; its late answer is dropped, not delivered twice.
@Suite struct GroupCommitDeadlineTests {
    /// The deadline holds for the batches that must answer too: 5 s, so that a loaded suite
    /// keeping their runs waiting for a thread does not time them out.
    @Test func aHungBatchFailsAtTheDeadlineAndFreesItsSlot() async throws {
        let (release, releaser) = AsyncStream.makeStream(of: Void.self)
        let commit = GroupCommit<String, String>(maxBatch: 8, maxInFlight: 1, deadline: .seconds(5)) { requests in
            if requests.contains("hang") {
                for await _ in release { break }
            }
            return requests.map { .success("done \($0)") }
        }
        let started = ContinuousClock.now
        await #expect(throws: GroupCommitError.noAnswer(batch: 1, within: .seconds(5))) {
            _ = try await commit.submit("hang")
        }
        #expect(ContinuousClock.now - started >= .seconds(5))
        // The only slot is free again although the hung run has not returned.
        #expect(try await commit.submit("next") == "done next")
        releaser.yield()
        releaser.finish()
        // The hung run's late answer is dropped: the next batch still gets its own.
        #expect(try await commit.submit("last") == "done last")
        #expect(await commit.statistics.batches == 3)
    }
}
