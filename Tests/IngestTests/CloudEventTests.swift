import Foundation
import Queue
import Testing

@testable import Ingest

/// CloudEvents parsing (both HTTP content modes) and the Tekton interpretation, driven by the
/// fixtures in `Fixtures/` (see its README for where their shapes come from).
@Suite struct CloudEventTests {
    // MARK: Fixtures × content modes

    enum Mode: String, CaseIterable, Sendable {
        case binary, structured, structuredBase64
    }

    enum Expected: Sendable {
        case jobs([NewJob])
        /// Ignored, with a reason that contains this text.
        case ignored(containing: String)
    }

    struct Case: Sendable, CustomTestStringConvertible {
        let file: String
        let type: String
        let expected: Expected
        var testDescription: String { file }
    }

    static let failed = TektonEventInterpreter.taskRunFailed

    static let cases: [Case] = [
        Case(file: "taskrun-failed-skipped.json", type: failed, expected: .jobs([
            NewJob(namespace: "ci", pod: "build-and-test-run-x7k2p-build-pod", container: "step-build",
                   pipelineRun: "build-and-test-run-x7k2p", task: "build", source: .cloudevent),
        ])),
        Case(file: "taskrun-failed-continue.json", type: failed, expected: .jobs([
            NewJob(namespace: "team-payments", pod: "pr-checks-run-4mqzt-test-pod", container: "step-lint",
                   pipelineRun: "pr-checks-run-4mqzt", task: "test", source: .cloudevent),
            NewJob(namespace: "team-payments", pod: "pr-checks-run-4mqzt-test-pod", container: "step-unit-test",
                   pipelineRun: "pr-checks-run-4mqzt", task: "test", source: .cloudevent),
        ])),
        Case(file: "taskrun-failed-legacy.json", type: failed, expected: .jobs([
            NewJob(namespace: "legacy-apps", pod: "maven-build-run-b9s2w-pod", container: "step-compile",
                   pipelineRun: nil, task: "maven-build", source: .cloudevent),
        ])),
        Case(file: "taskrun-timeout.json", type: failed, expected: .jobs([
            NewJob(namespace: "qa", pod: "nightly-e2e-run-8f2kd-e2e-pod", container: nil,
                   pipelineRun: "nightly-e2e-run-8f2kd", task: "e2e", source: .cloudevent),
        ])),
        Case(file: "taskrun-cancelled.json", type: failed, expected: .ignored(containing: "cancelled")),
        Case(file: "taskrun-no-pod.json", type: failed, expected: .ignored(containing: "no pod (TaskRunResolutionFailed")),
        Case(file: "taskrun-started.json", type: "dev.tekton.event.taskrun.started.v1",
             expected: .ignored(containing: "only dev.tekton.event.taskrun.failed.v1")),
        Case(file: "taskrun-successful.json", type: "dev.tekton.event.taskrun.successful.v1",
             expected: .ignored(containing: "only dev.tekton.event.taskrun.failed.v1")),
        Case(file: "pipelinerun-failed.json", type: TektonEventInterpreter.pipelineRunFailed,
             expected: .ignored(containing: "PipelineRun failures")),
    ]

    @Test(arguments: cases, Mode.allCases)
    func fixtureOutcome(_ fixture: Case, mode: Mode) throws {
        let data = try Self.fixture(fixture.file)
        let (headers, body) = try Self.request(mode, type: fixture.type, data: data)
        let event = try CloudEventParser.parse(headers: headers, body: body)
        #expect(event.type == fixture.type)
        let outcome = try TektonEventInterpreter.outcome(for: event)
        switch (fixture.expected, outcome) {
        case (.jobs(let expected), .reports(let jobs)):
            #expect(jobs == expected)
            for job in jobs { try job.validate() }
        case (.ignored(let text), .ignored(let type, let reason)):
            #expect(type == fixture.type)
            #expect(reason.contains(text), "reason: \(reason)")
        default:
            Issue.record("expected \(fixture.expected), got \(outcome)")
        }
    }

    @Test(arguments: Mode.allCases)
    func attributesAndDataSurviveEachMode(_ mode: Mode) throws {
        let data = try Self.fixture("taskrun-failed-skipped.json")
        let (headers, body) = try Self.request(mode, type: Self.failed, data: data)
        let event = try CloudEventParser.parse(headers: headers, body: body)
        #expect(event.specVersion == "1.0")
        #expect(event.id == "77f78ae7-ff6d-4e39-9d05-b9a0b7850527")
        #expect(event.source == "/apis/tekton.dev/v1beta1/namespaces/ci/taskruns/build-and-test-run-x7k2p-build")
        #expect(event.subject == "build-and-test-run-x7k2p-build")
        #expect(event.time == "2026-11-20T09:15:41.702183Z")
        #expect(event.dataIsJSON)
        // Structured mode re-encodes `data`, so compare as JSON values rather than bytes.
        let received = try JSONSerialization.jsonObject(with: try #require(event.data)) as? NSDictionary
        let sent = try JSONSerialization.jsonObject(with: data) as? NSDictionary
        #expect(received == sent)
    }

    // MARK: Binary mode

    @Test func binaryHeaderNamesAreCaseInsensitiveAndValuesPercentDecoded() throws {
        var headers = Self.binaryHeaders(type: Self.failed)
        headers["CE-SUBJECT"] = "build%20%22x%22"
        headers.removeValue(forKey: "Ce-Subject")
        let event = try CloudEventParser.parse(headers: headers, body: Data("{}".utf8))
        #expect(event.subject == "build \"x\"")
        #expect(event.dataContentType == "application/json")
    }

    @Test(arguments: ["Ce-Type", "Ce-Id", "Ce-Source", "Ce-Specversion"])
    func binaryModeRequiresAttribute(_ header: String) throws {
        var headers = Self.binaryHeaders(type: Self.failed)
        headers.removeValue(forKey: header)
        let error = try #require(throws: CloudEventError.self) {
            try CloudEventParser.parse(headers: headers, body: Data("{}".utf8))
        }
        #expect(error == .missingAttribute(field: header.lowercased()))
        #expect(error.description == "\(header.lowercased()): is required")
    }

    @Test func emptyAttributeCountsAsMissing() throws {
        var headers = Self.binaryHeaders(type: Self.failed)
        headers["Ce-Id"] = "  "
        #expect(throws: CloudEventError.missingAttribute(field: "ce-id")) {
            try CloudEventParser.parse(headers: headers, body: Data("{}".utf8))
        }
    }

    @Test func plainJSONPostIsNotACloudEvent() throws {
        #expect(throws: CloudEventError.missingAttribute(field: "ce-specversion")) {
            try CloudEventParser.parse(headers: ["content-type": "application/json"], body: Data("{}".utf8))
        }
    }

    @Test func otherSpecVersionIsRejected() throws {
        var headers = Self.binaryHeaders(type: Self.failed)
        headers["Ce-Specversion"] = "0.3"
        let error = try #require(throws: CloudEventError.self) {
            try CloudEventParser.parse(headers: headers, body: Data("{}".utf8))
        }
        #expect(error.field == "ce-specversion")
    }

    @Test func malformedDataIsReportedWhenInterpreted() throws {
        let event = try CloudEventParser.parse(headers: Self.binaryHeaders(type: Self.failed), body: Data("{\"taskRun\": ".utf8))
        #expect(throws: CloudEventError.malformedJSON(field: "data", message: "is not valid JSON")) {
            try TektonEventInterpreter.outcome(for: event)
        }
    }

    @Test func nonJSONDataOfAFailedTaskRunIsRejected() throws {
        var headers = Self.binaryHeaders(type: Self.failed)
        headers["Content-Type"] = "text/plain"
        let event = try CloudEventParser.parse(headers: headers, body: Data("build failed".utf8))
        let error = try #require(throws: CloudEventError.self) { try TektonEventInterpreter.outcome(for: event) }
        #expect(error.field == "datacontenttype")
    }

    @Test func otherTypesAreIgnoredWhateverTheirData() throws {
        var headers = Self.binaryHeaders(type: "com.example.something.v1")
        headers["Content-Type"] = "text/plain"
        let event = try CloudEventParser.parse(headers: headers, body: Data("hello".utf8))
        #expect(try TektonEventInterpreter.outcome(for: event)
            == .ignored(type: "com.example.something.v1", reason: "only dev.tekton.event.taskrun.failed.v1 events are reported"))
    }

    @Test func failedTaskRunWithoutDataIsRejected() throws {
        let event = try CloudEventParser.parse(headers: Self.binaryHeaders(type: Self.failed), body: Data())
        #expect(event.data == nil)
        #expect(throws: CloudEventError.missingAttribute(field: "data")) { try TektonEventInterpreter.outcome(for: event) }
    }

    // MARK: Structured mode

    @Test func structuredBodyMustBeJSON() throws {
        let error = try #require(throws: CloudEventError.self) {
            try CloudEventParser.parse(headers: ["content-type": "application/cloudevents+json"], body: Data("{not json".utf8))
        }
        #expect(error == .malformedJSON(field: "body", message: "is not valid JSON"))
    }

    @Test func structuredBodyMustBeAnObject() throws {
        let error = try #require(throws: CloudEventError.self) {
            try CloudEventParser.parse(headers: ["content-type": "application/cloudevents+json"], body: Data("[1, 2]".utf8))
        }
        #expect(error == .malformedJSON(field: "body", message: "must be a JSON object"))
    }

    @Test(arguments: ["id", "type", "source", "specversion"])
    func structuredModeRequiresAttribute(_ key: String) throws {
        var envelope = Self.envelope(type: Self.failed)
        envelope.removeValue(forKey: key)
        #expect(throws: CloudEventError.missingAttribute(field: key)) {
            try CloudEventParser.parse(headers: Self.structuredHeaders, body: try Self.json(envelope))
        }
    }

    @Test func structuredAttributeMustBeAString() throws {
        var envelope = Self.envelope(type: Self.failed)
        envelope["type"] = 42
        #expect(throws: CloudEventError.invalidAttribute(field: "type", message: "must be a string")) {
            try CloudEventParser.parse(headers: Self.structuredHeaders, body: try Self.json(envelope))
        }
    }

    @Test func contentTypeParametersAreIgnored() throws {
        let event = try CloudEventParser.parse(
            headers: ["Content-Type": "Application/CloudEvents+JSON; charset=utf-8"],
            body: try Self.json(Self.envelope(type: Self.failed)))
        #expect(event.type == Self.failed)
        #expect(event.data == nil)
    }

    @Test(arguments: ["application/cloudevents+xml", "application/cloudevents-batch+json", "application/cloudevents"])
    func otherEventFormatsAreUnsupported(_ contentType: String) throws {
        let error = try #require(throws: CloudEventError.self) {
            try CloudEventParser.parse(headers: ["content-type": contentType], body: try Self.json(Self.envelope(type: Self.failed)))
        }
        #expect(error == .unsupportedContentType(contentType))
        #expect(error.field == "content-type")
    }

    @Test func dataBase64MustBeValid() throws {
        var envelope = Self.envelope(type: Self.failed)
        envelope["data_base64"] = "***"
        #expect(throws: CloudEventError.invalidAttribute(field: "data_base64", message: "is not valid base64")) {
            try CloudEventParser.parse(headers: Self.structuredHeaders, body: try Self.json(envelope))
        }
    }

    @Test func dataAndDataBase64AreExclusive() throws {
        var envelope = Self.envelope(type: Self.failed)
        envelope["data"] = ["taskRun": [:] as [String: Any]]
        envelope["data_base64"] = Data("{}".utf8).base64EncodedString()
        let error = try #require(throws: CloudEventError.self) {
            try CloudEventParser.parse(headers: Self.structuredHeaders, body: try Self.json(envelope))
        }
        #expect(error.field == "data_base64")
    }

    @Test func structuredStringDataWithTextContentTypeIsKeptAsText() throws {
        var envelope = Self.envelope(type: "com.example.note.v1")
        envelope["datacontenttype"] = "text/plain"
        envelope["data"] = "hello"
        let event = try CloudEventParser.parse(headers: Self.structuredHeaders, body: try Self.json(envelope))
        #expect(event.data == Data("hello".utf8))
        #expect(!event.dataIsJSON)
    }

    // MARK: Tekton data shape

    @Test func failedTaskRunEventNeedsATaskRun() throws {
        let event = CloudEvent(type: Self.failed, source: "/x", id: "1", data: try Self.fixture("pipelinerun-failed.json"))
        #expect(throws: CloudEventError.invalidData(field: "data.taskRun", message: "is required for \(Self.failed)")) {
            try TektonEventInterpreter.outcome(for: event)
        }
    }

    @Test func failedTaskRunNeedsANamespace() throws {
        let data = #"{"taskRun": {"metadata": {"name": "x"}, "status": {"podName": "x-pod"}}}"#
        let event = CloudEvent(type: Self.failed, source: "/x", id: "1", data: Data(data.utf8))
        let error = try #require(throws: CloudEventError.self) { try TektonEventInterpreter.outcome(for: event) }
        #expect(error.field == "data.taskRun.metadata.namespace")
    }

    @Test func wrongTypeInsideTheTaskRunNamesItsPath() throws {
        let data = #"""
        {"taskRun": {"metadata": {"namespace": "ci"}, "status": {"podName": "p",
          "steps": [{"name": "a", "terminated": {"exitCode": 0}}, {"name": "b", "terminated": {"exitCode": "two"}}]}}}
        """#
        let event = CloudEvent(type: Self.failed, source: "/x", id: "1", data: Data(data.utf8))
        let error = try #require(throws: CloudEventError.self) { try TektonEventInterpreter.outcome(for: event) }
        #expect(error.field == "data.taskRun.status.steps[1].terminated.exitCode")
        guard case .invalidData = error else {
            Issue.record("expected invalidData, got \(error)")
            return
        }
    }

    @Test func labelValuesMustBeStrings() throws {
        let data = #"{"taskRun": {"metadata": {"namespace": "ci", "labels": {"tekton.dev/task": 7}}}}"#
        let event = CloudEvent(type: Self.failed, source: "/x", id: "1", data: Data(data.utf8))
        let error = try #require(throws: CloudEventError.self) { try TektonEventInterpreter.outcome(for: event) }
        #expect(error.field == "data.taskRun.metadata.labels.tekton.dev/task")
    }

    @Test func taskLabelFallsBackAndMissingContainerUsesStepName() throws {
        let data = #"""
        {"taskRun": {"metadata": {"namespace": "ci", "labels": {"tekton.dev/task": "lint"}},
          "status": {"podName": "lint-run-pod", "steps": [
            {"name": "check", "terminated": {"exitCode": 3, "reason": "Error"}},
            {"name": "check", "terminated": {"exitCode": 3, "reason": "Error"}, "terminationReason": "Error"}]}}}
        """#
        let event = CloudEvent(type: Self.failed, source: "/x", id: "1", data: Data(data.utf8))
        #expect(try TektonEventInterpreter.outcome(for: event) == .reports([
            NewJob(namespace: "ci", pod: "lint-run-pod", container: "step-check", task: "lint", source: .cloudevent),
        ]))
    }

    @Test func podThatNeverStartedIsReportedWithoutContainer() throws {
        // failTaskRun writes the run's reason into waiting steps, e.g. after an image pull failure.
        let data = #"""
        {"taskRun": {"metadata": {"namespace": "ci"},
          "status": {"podName": "img-pod",
            "conditions": [{"type": "Succeeded", "status": "False", "reason": "TaskRunImagePullFailed"}],
            "steps": [{"name": "a", "container": "step-a", "terminated": {"exitCode": 1, "reason": "TaskRunImagePullFailed"}}]}}}
        """#
        let event = CloudEvent(type: Self.failed, source: "/x", id: "1", data: Data(data.utf8))
        #expect(try TektonEventInterpreter.outcome(for: event) == .reports([
            NewJob(namespace: "ci", pod: "img-pod", source: .cloudevent),
        ]))
    }

    // MARK: Route support

    @Test func errorsMapToAPIAnswers() {
        let unsupported = CloudEventError.unsupportedContentType("application/cloudevents+xml").apiError
        #expect(unsupported.status.code == 415)
        #expect(unsupported.code == "unsupported_media_type")
        let malformed = CloudEventError.malformedJSON(field: "body", message: "is not valid JSON").apiError
        #expect(malformed.status.code == 400)
        #expect(malformed.code == "malformed_json")
        let missing = CloudEventError.missingAttribute(field: "ce-type").apiError
        #expect(missing.status.code == 400)
        #expect(missing.code == "invalid_field")
        #expect(missing.message == "ce-type: is required")
    }

    @Test func metricLabelsStayBounded() {
        #expect(TektonEventInterpreter.metricLabel(forType: "dev.tekton.event.pipelinerun.failed.v1")
            == "dev.tekton.event.pipelinerun.failed.v1")
        #expect(TektonEventInterpreter.metricLabel(forType: "dev.tekton.event.customrun.running.v1")
            == "dev.tekton.event.customrun.running.v1")
        #expect(TektonEventInterpreter.metricLabel(forType: "com.example.\(UUID())") == "other")
    }

    // MARK: Helpers

    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

    static func fixture(_ name: String) throws -> Data {
        try Data(contentsOf: fixtures.appendingPathComponent(name))
    }

    static let structuredHeaders = ["Content-Type": "application/cloudevents+json"]

    /// The headers Tekton sends in binary mode (`docs/events.md`), in its capitalisation.
    static func binaryHeaders(type: String) -> [String: String] {
        [
            "Ce-Id": "77f78ae7-ff6d-4e39-9d05-b9a0b7850527",
            "Ce-Source": "/apis/tekton.dev/v1beta1/namespaces/ci/taskruns/build-and-test-run-x7k2p-build",
            "Ce-Specversion": "1.0",
            "Ce-Subject": "build-and-test-run-x7k2p-build",
            "Ce-Time": "2026-11-20T09:15:41.702183Z",
            "Ce-Type": type,
            "Content-Type": "application/json",
            "User-Agent": "Go-http-client/1.1",
        ]
    }

    static func envelope(type: String) -> [String: Any] {
        [
            "specversion": "1.0",
            "id": "77f78ae7-ff6d-4e39-9d05-b9a0b7850527",
            "source": "/apis/tekton.dev/v1beta1/namespaces/ci/taskruns/build-and-test-run-x7k2p-build",
            "subject": "build-and-test-run-x7k2p-build",
            "time": "2026-11-20T09:15:41.702183Z",
            "type": type,
            "datacontenttype": "application/json",
        ]
    }

    static func request(_ mode: Mode, type: String, data: Data) throws -> ([String: String], Data) {
        switch mode {
        case .binary:
            return (binaryHeaders(type: type), data)
        case .structured:
            var envelope = envelope(type: type)
            envelope["data"] = try JSONSerialization.jsonObject(with: data)
            return (structuredHeaders, try json(envelope))
        case .structuredBase64:
            var envelope = envelope(type: type)
            envelope["data_base64"] = data.base64EncodedString()
            return (structuredHeaders, try json(envelope))
        }
    }

    static func json(_ object: [String: Any]) throws -> Data {
        try JSONSerialization.data(withJSONObject: object)
    }
}
