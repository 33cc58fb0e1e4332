/// Lines waiting to be chosen, highest value first (ties: the larger `line` first). A binary
/// max-heap: `ExcerptSelection` keeps here the next line of each failure template, at a value
/// lowered by how many lines of that template are already shown.
struct CandidateHeap {
    private var items: [(value: Float, line: Int)] = []

    init(_ candidates: [(value: Float, line: Int)]) {
        items = candidates
        guard items.count > 1 else { return }
        for i in stride(from: items.count / 2 - 1, through: 0, by: -1) { siftDown(i) }
    }

    var isEmpty: Bool { items.isEmpty }

    /// The value of the line that `pop` would return.
    var topValue: Float? { items.first?.value }

    mutating func push(_ value: Float, _ line: Int) {
        items.append((value, line))
        var i = items.count - 1
        while i > 0 {
            let parent = (i - 1) / 2
            guard Self.above(items[i], items[parent]) else { break }
            items.swapAt(i, parent)
            i = parent
        }
    }

    mutating func pop() -> (value: Float, line: Int)? {
        guard !items.isEmpty else { return nil }
        items.swapAt(0, items.count - 1)
        let top = items.removeLast()
        if !items.isEmpty { siftDown(0) }
        return top
    }

    private mutating func siftDown(_ start: Int) {
        var i = start
        let n = items.count
        while true {
            let l = 2 * i + 1
            let r = l + 1
            var best = i
            if l < n, Self.above(items[l], items[best]) { best = l }
            if r < n, Self.above(items[r], items[best]) { best = r }
            guard best != i else { return }
            items.swapAt(i, best)
            i = best
        }
    }

    private static func above(_ a: (value: Float, line: Int), _ b: (value: Float, line: Int)) -> Bool {
        a.value != b.value ? a.value > b.value : a.line > b.line
    }
}
