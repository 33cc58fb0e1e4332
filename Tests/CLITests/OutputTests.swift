import Foundation
import Testing
@testable import CLI

@Suite struct OutputTests {
    @Test func relativeTimes() {
        let now = Date(timeIntervalSince1970: 1_000_000)
        #expect(relativeTime(now, now: now) == "just now")
        #expect(relativeTime(now.addingTimeInterval(-42), now: now) == "42s ago")
        #expect(relativeTime(now.addingTimeInterval(-180), now: now) == "3m ago")
        #expect(relativeTime(now.addingTimeInterval(-7200), now: now) == "2h ago")
        #expect(relativeTime(now.addingTimeInterval(-3 * 86400), now: now) == "3d ago")
        #expect(relativeTime(now.addingTimeInterval(120), now: now) == "in 2m")
    }

    @Test func tableAlignsColumnsAndCutsTheFlexibleOne() {
        var table = TextTable(headers: ["ID", "POD", "STATE"], flexibleColumn: 1)
        table.append(["1", String(repeating: "x", count: 100), "queued"])
        table.append(["22", "short", "running"])
        let lines = table.render(width: 40).split(separator: "\n").map(String.init)
        #expect(lines.allSatisfy { $0.count <= 40 })
        #expect(lines[0].hasPrefix("ID  POD"))
        #expect(lines[1].contains("…  queued"))
        #expect(lines[2].hasPrefix("22  short"))
        // Columns line up: the third column starts at the same offset on every line.
        let offsets = zip(lines, ["STATE", "queued", "running"]).map { line, cell in
            line.distance(from: line.startIndex, to: line.range(of: cell)!.lowerBound)
        }
        #expect(Set(offsets).count == 1)
    }

    @Test func tableLeavesNarrowTablesAlone() {
        var table = TextTable(headers: ["A", "B"], flexibleColumn: 1)
        table.append(["1", "two"])
        #expect(table.render() == "A  B\n1  two")
    }

    @Test func environmentSettingsValidateValues() throws {
        #expect(EnvironmentSettings([:]).databasePath == "./var/agent.sqlite")
        #expect(EnvironmentSettings(["AGENT_DB": "/data/a.sqlite"]).databasePath == "/data/a.sqlite")
        let configuration = try EnvironmentSettings(["AGENT_MAX_ATTEMPTS": "7", "AGENT_DEDUPE_WINDOW_SECONDS": "60"]).queueConfiguration()
        #expect(configuration.retryPolicy.maxAttempts == 7 && configuration.dedupeWindow == .seconds(60))
        #expect(throws: CommandFailure.self) { try EnvironmentSettings(["AGENT_MAX_ATTEMPTS": "0"]).queueConfiguration() }
        #expect(throws: CommandFailure.self) { try EnvironmentSettings(["AGENT_DB_SYNCHRONOUS": "OFF"]).connectionOptions() }
        #expect(try EnvironmentSettings(["AGENT_DB_SYNCHRONOUS": "normal"]).connectionOptions().synchronous == .normal)
    }
}
