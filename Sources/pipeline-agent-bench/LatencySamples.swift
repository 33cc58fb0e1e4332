/// Durations collected during a run, summarised as percentiles.
struct LatencySamples {
    private(set) var values: [Duration] = []

    mutating func append(_ value: Duration) { values.append(value) }
    mutating func append(contentsOf other: LatencySamples) { values += other.values }

    /// The `p`-th percentile (0...100), nearest-rank.
    func percentile(_ p: Double) -> Duration {
        guard !values.isEmpty else { return .zero }
        let sorted = values.sorted()
        let rank = Int((p / 100 * Double(sorted.count)).rounded(.up)) - 1
        return sorted[min(max(rank, 0), sorted.count - 1)]
    }
}

extension Duration {
    var formattedMilliseconds: String {
        let ms = Double(components.seconds) * 1000 + Double(components.attoseconds) / 1e15
        return ms < 10 ? String(format: "%.2f ms", ms) : String(format: "%.1f ms", ms)
    }
}
