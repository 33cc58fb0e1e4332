import Foundation
import JSON
import Logging
import Testing
@testable import CLI

@Suite struct JSONLogHandlerTests {
    private func lines(_ output: LogLineOutput) throws -> [JSONValue] {
        try output.text.split(separator: "\n").map { try JSONValue.decode(Data($0.utf8)) }
    }

    @Test func oneObjectPerLineWithMetadataAsFields() throws {
        let output = LogLineOutput.memory()
        var logger = Logger(label: "pipeline-agent.worker") { JSONLogHandler(label: $0, output: output) }
        logger[metadataKey: "job_id"] = "42"
        logger[metadataKey: "attempt"] = "2"
        logger.info("lease lost\nsecond line \"quoted\"", metadata: ["error": "heartbeat refused", "message": "shadow"])
        logger.debug("below the level")

        let objects = try lines(output)
        #expect(objects.count == 1)
        let line = try #require(objects.first)
        #expect(line["level"] == "info")
        #expect(line["logger"] == "pipeline-agent.worker")
        #expect(line["message"] == "lease lost\nsecond line \"quoted\"")
        #expect(line["job_id"] == "42")
        #expect(line["attempt"] == "2")
        #expect(line["error"] == "heartbeat refused")
        // A metadata key named like a fixed field never hides it.
        #expect(line["meta_message"] == "shadow")
        let time = try #require(line["time"]?.stringValue)
        #expect(time.wholeMatch(of: /\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z/) != nil)
    }

    @Test func nestedMetadataStaysStructured() throws {
        let output = LogLineOutput.memory()
        let logger = Logger(label: "t") { JSONLogHandler(label: $0, output: output) }
        logger.warning("tools", metadata: ["resolved": ["create": "create_issue", "comment": "create_issue_comment"],
                                           "missing": ["list"]])
        let line = try #require(try lines(output).first)
        #expect(line["resolved"]?["comment"] == "create_issue_comment")
        #expect(line["missing"] == ["list"])
    }

    @Test func timestampsAreUTCWithMilliseconds() {
        #expect(JSONLogHandler.timestamp(Date(timeIntervalSince1970: 1_796_290_810.1239)) == "2026-12-03T09:40:10.123Z")
        #expect(JSONLogHandler.timestamp(Date(timeIntervalSince1970: 0)) == "1970-01-01T00:00:00.000Z")
    }

    @Test func formatSettingIsCheckedAtStart() throws {
        #expect(try EnvironmentSettings([:]).logFormat() == .text)
        #expect(try EnvironmentSettings(["AGENT_LOG_FORMAT": "JSON"]).logFormat() == .json)
        #expect(throws: CommandFailure.self) { try EnvironmentSettings(["AGENT_LOG_FORMAT": "xml"]).logFormat() }
    }
}
