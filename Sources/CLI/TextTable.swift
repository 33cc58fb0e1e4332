/// A left-aligned text table that fits a terminal width: one column may be marked flexible and
/// is cut (with "…") so the whole row fits.
public struct TextTable {
    public let headers: [String]
    public var rows: [[String]] = []
    /// The column that gives up width when the table is too wide.
    public let flexibleColumn: Int?

    public init(headers: [String], flexibleColumn: Int? = nil) {
        self.headers = headers
        self.flexibleColumn = flexibleColumn
    }

    public mutating func append(_ row: [String]) { rows.append(row) }

    public func render(width: Int = 80) -> String {
        let separator = 2
        var widths = headers.indices.map { column in
            ([headers] + rows).map { $0.indices.contains(column) ? $0[column].count : 0 }.max() ?? 0
        }
        let total = widths.reduce(0, +) + separator * (widths.count - 1)
        if total > width, let flexible = flexibleColumn {
            widths[flexible] = max(headers[flexible].count, widths[flexible] - (total - width))
        }
        return ([headers] + rows).map { row in
            row.indices.map { column in
                let cell = Self.fit(row[column], width: widths[column])
                return column == row.count - 1 ? cell : cell.padding(toLength: widths[column], withPad: " ", startingAt: 0)
            }
            .joined(separator: String(repeating: " ", count: separator))
        }
        .joined(separator: "\n")
    }

    private static func fit(_ text: String, width: Int) -> String {
        text.count <= width ? text : String(text.prefix(max(width - 1, 0))) + "…"
    }
}
