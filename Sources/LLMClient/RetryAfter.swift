import Foundation
import HTTPClient

/// Reads the wait a server asks for. LiteLLM forwards the provider's headers prefixed with
/// `llm_provider-` (e.g. `llm_provider-retry-after: 7`) and does not always set `Retry-After`
/// itself, so both spellings count; milliseconds variants win for precision.
enum RetryAfter {
    /// Longest wait taken from a header: a bigger value (or a date far ahead) is read as this.
    static let longest = Duration.seconds(longestSeconds)
    private static let longestSeconds: Int64 = 24 * 3600

    static func parse(_ headers: HTTPHeaders, now: Date = Date()) -> Duration? {
        for name in ["retry-after-ms", "llm_provider-retry-after-ms"] {
            if let text = headers[name], let milliseconds = Double(text.trimmingCharacters(in: .whitespaces)) {
                if let wait = bounded(seconds: milliseconds / 1000) { return wait }
            }
        }
        for name in ["retry-after", "llm_provider-retry-after"] {
            guard let text = headers[name]?.trimmingCharacters(in: .whitespaces) else { continue }
            if let seconds = Double(text) {
                if let wait = bounded(seconds: seconds) { return wait }
            } else if let date = httpDate(text) {
                return bounded(seconds: max(0, date.timeIntervalSince(now)))
            }
        }
        return nil
    }

    /// nil for a negative or non-numeric (NaN) value; at most `longest`, so that `1e30` or `inf`
    /// from an upstream neither traps the conversion nor parks a job for years.
    private static func bounded(seconds: Double) -> Duration? {
        guard seconds >= 0 else { return nil }
        guard seconds < Double(longestSeconds) else { return longest }
        return .milliseconds(Int64(seconds * 1000))
    }

    /// RFC 9110 IMF-fixdate, e.g. `Wed, 21 Oct 2015 07:28:00 GMT`.
    static func httpDate(_ text: String) -> Date? {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        return formatter.date(from: text)
    }
}
