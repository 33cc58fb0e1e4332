import ArgumentParser

/// Benchmarks (release build) and load drivers for multi-process tests.
struct Bench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pipeline-agent-bench",
        abstract: "Benchmarks and load drivers for the pipeline agent.",
        subcommands: [QueueBenchmark.self, IngestBenchmark.self, WorkerBenchmark.self, ExcerptBenchmark.self, JSONBenchmark.self,
                      DrainCommand.self, QualityBenchmark.self]
    )
}
