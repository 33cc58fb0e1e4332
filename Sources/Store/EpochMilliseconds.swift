import Foundation

// Every time column is Unix epoch milliseconds (INTEGER): one conversion for all tables.
extension Date {
    public var epochMilliseconds: Int64 { Int64((timeIntervalSince1970 * 1000).rounded()) }

    public init(epochMilliseconds: Int64) {
        self.init(timeIntervalSince1970: Double(epochMilliseconds) / 1000)
    }
}
