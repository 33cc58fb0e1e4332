import Foundation
import HTTPClient

/// Reads the wait a server asks for. LiteLLM forwards the provider's headers prefixed with
/// `llm_provider-` (e.g. `llm_provider-retry-after: 7`) and does not always set `Retry-After`
/// itself, so both spellings count; milliseconds variants win for precision.
enum RetryAfter {
    static func parse(_ headers: HTTPHeaders, now: Date = Date()) -> Duration? {
        for name in ["retry-after-ms", "llm_provider-retry-after-ms"] {
            if let text = headers[name], let milliseconds = Double(text.trimmingCharacters(in: .whitespaces)),
               milliseconds >= 0 {
                return .milliseconds(Int(milliseconds))
            }
        }
        for name in ["retry-after", "llm_provider-retry-after"] {
            guard let text = headers[name]?.trimmingCharacters(in: .whitespaces) else { continue }
            if let seconds = Double(text), seconds >= 0 { return .milliseconds(Int(seconds * 1000)) }
            if let date = httpDate(text) { return .milliseconds(max(0, Int(date.timeIntervalSince(now) * 1000))) }
        }
        return nil
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
