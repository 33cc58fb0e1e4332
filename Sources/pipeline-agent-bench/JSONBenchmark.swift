import ArgumentParser
import Foundation
import JSON
import LLMClient

/// `pipeline-agent-bench json`: the JSON work of one agent step in isolation, the JSON module
/// against the Foundation paths it replaced: writing a chat request body, reading a completion
/// and an MCP `tools/list` answer, writing a value as sorted text.
struct JSONBenchmark: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "json",
        abstract: "Measure request-body writing and JSON reading: the JSON module against JSONSerialization/JSONDecoder."
    )

    @Option(help: "Repetitions of each operation.")
    var iterations = 2000

    func validate() throws {
        guard (1...1_000_000).contains(iterations) else { throw ValidationError("--iterations is 1...1000000") }
    }

    func run() throws {
        #if DEBUG
        print("warning: debug build; measure with `swift build -c release --product pipeline-agent-bench`")
        #endif
        let request = JSONBenchmarkSamples.request
        let completion = JSONBenchmarkSamples.completion
        let toolsList = JSONBenchmarkSamples.toolsList
        let toolsValue = try JSONValue.decode(toolsList)
        print("json benchmark: \(iterations) iterations; request body \(try request.body(defaultModel: "m").count) bytes "
              + "with \(request.tools.count) tools, completion \(completion.count) bytes, tools/list \(toolsList.count) bytes")

        compare("request body", new: { _ = try request.body(defaultModel: "m") },
                old: { _ = try FoundationRequestBody.body(request, defaultModel: "m") })
        compare("read completion", new: { _ = try JSONValue.decode(completion) },
                old: { _ = try JSONSerialization.jsonObject(with: completion) })
        compare("read tools/list", new: { _ = try JSONValue.decode(toolsList) },
                old: { _ = try JSONDecoder().decode(JSONValue.self, from: toolsList) })
        compare("write tools/list", new: { _ = toolsValue.jsonText },
                old: {
                    let encoder = JSONEncoder()
                    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
                    _ = try encoder.encode(toolsValue)
                })
    }

    private func compare(_ name: String, new: () throws -> Void, old: () throws -> Void) {
        do {
            let newTime = try measure(new)
            let oldTime = try measure(old)
            let ratio = oldTime / newTime
            print("\(name): \(Self.micros(newTime)) µs (before: \(Self.micros(oldTime)) µs, \(String(format: "%.1f", ratio))× faster)")
        } catch {
            print("\(name): failed: \(error)")
        }
    }

    /// Per-operation time after a warm-up of a tenth of the iterations.
    private func measure(_ operation: () throws -> Void) throws -> Duration {
        for _ in 0..<max(1, iterations / 10) { try operation() }
        let clock = ContinuousClock()
        let started = clock.now
        for _ in 0..<iterations { try operation() }
        return (clock.now - started) / iterations
    }

    private static func micros(_ duration: Duration) -> String {
        String(format: "%.1f", Double(duration.components.attoseconds) / 1e12 + Double(duration.components.seconds) * 1e6)
    }
}
