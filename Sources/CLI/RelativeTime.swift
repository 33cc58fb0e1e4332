import Foundation

/// "3m ago", "in 2h", "just now": how far `date` is from `now`, in the largest whole unit.
public func relativeTime(_ date: Date, now: Date = Date()) -> String {
    let seconds = Int(now.timeIntervalSince(date).rounded())
    let magnitude = abs(seconds)
    if magnitude < 5 { return "just now" }
    let text: String
    switch magnitude {
    case ..<60: text = "\(magnitude)s"
    case ..<3600: text = "\(magnitude / 60)m"
    case ..<86400: text = "\(magnitude / 3600)h"
    default: text = "\(magnitude / 86400)d"
    }
    return seconds > 0 ? "\(text) ago" : "in \(text)"
}
