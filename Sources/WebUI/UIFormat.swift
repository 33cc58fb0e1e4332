import Foundation

/// How the pages show times, durations, counts and stored JSON. Times are UTC, to the second,
/// the same on every viewer's screen (a link pasted into an issue shows what the sender saw).
enum UIFormat {
    /// `2026-12-03 12:48:05Z`, computed from the calendar fields directly: formatters showed
    /// up when a page lists hundreds of times.
    static func time(_ date: Date) -> String {
        var seconds = Int64(date.timeIntervalSince1970.rounded(.down))
        let secondOfDay = Int(((seconds % 86_400) + 86_400) % 86_400)
        seconds = (seconds - Int64(secondOfDay)) / 86_400
        let (year, month, day) = civilDate(daysSinceEpoch: seconds)
        return "\(year)-\(two(month))-\(two(day)) \(two(secondOfDay / 3600)):\(two(secondOfDay / 60 % 60)):\(two(secondOfDay % 60))Z"
    }

    /// `2026-12-03`: the day of a time, UTC.
    static func day(_ date: Date) -> String {
        let days = Int64((date.timeIntervalSince1970 / 86_400).rounded(.down))
        let (year, month, day) = civilDate(daysSinceEpoch: days)
        return "\(year)-\(two(month))-\(two(day))"
    }

    /// `850 ms`, `4.2 s`, `3 min 5 s`, `2 h 10 min`, `3 d 4 h`.
    static func duration(milliseconds: Int64) -> String {
        if milliseconds < 1000 { return "\(milliseconds) ms" }
        let seconds = milliseconds / 1000
        if seconds < 60 { return String(format: "%.1f s", Double(milliseconds) / 1000) }
        if seconds < 3600 { return "\(seconds / 60) min \(seconds % 60) s" }
        if seconds < 86_400 { return "\(seconds / 3600) h \(seconds / 60 % 60) min" }
        return "\(seconds / 86_400) d \(seconds / 3600 % 24) h"
    }

    static func duration(from start: Date, to end: Date) -> String {
        duration(milliseconds: max(0, Int64(end.timeIntervalSince(start) * 1000)))
    }

    /// JSON text indented for reading; the text itself when it is not JSON.
    static func prettyJSON(_ text: String) -> String {
        guard let data = text.data(using: .utf8),
              let object = try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed]),
              object is [String: Any] || object is [Any],
              let pretty = try? JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
        else { return text }
        return String(decoding: pretty, as: UTF8.self)
    }

    /// A top-level string field of a JSON object text (e.g. a result's `issue_url`).
    static func jsonString(_ text: String?, key: String) -> String? {
        guard let data = text?.data(using: .utf8),
              let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else { return nil }
        return object[key] as? String
    }

    /// The first line of `text`, at most `limit` characters, with an ellipsis when cut.
    static func preview(_ text: String, limit: Int = 140) -> String {
        let firstLine = text.split(separator: "\n", maxSplits: 1).first ?? ""
        if firstLine.count > limit { return String(firstLine.prefix(limit)) + "…" }
        return firstLine.count < text.count ? firstLine + " …" : String(firstLine)
    }

    /// A query parameter value, percent-encoded except for unreserved characters.
    static func queryEncoded(_ value: String) -> String {
        var allowed = CharacterSet.alphanumerics.intersection(CharacterSet(charactersIn: Unicode.Scalar(0)..<Unicode.Scalar(128)))
        allowed.insert(charactersIn: "-._~")
        return value.addingPercentEncoding(withAllowedCharacters: allowed) ?? ""
    }

    private static func two(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }

    /// Days since 1970-01-01 to a proleptic Gregorian date (Howard Hinnant's algorithm).
    private static func civilDate(daysSinceEpoch: Int64) -> (Int, Int, Int) {
        let z = daysSinceEpoch + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        let year = yoe + era * 400 + (month <= 2 ? 1 : 0)
        return (Int(year), Int(month), Int(day))
    }
}
