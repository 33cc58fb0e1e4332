/// Why a value cannot be written as JSON text.
public enum JSONWriteError: Error, Sendable, Equatable, CustomStringConvertible {
    /// NaN and the infinities have no JSON form. Carries the value's description ("nan", "inf").
    case nonFiniteNumber(String)

    public var description: String {
        switch self {
        case let .nonFiniteNumber(value): "\(value) cannot be written as JSON"
        }
    }
}
