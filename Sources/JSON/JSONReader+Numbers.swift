extension JSONReader {
    /// The number at `index`, by the RFC 8259 grammar. Integers that fit `Int` stay exact; a
    /// fraction, an exponent or a larger magnitude makes it a `Double`.
    mutating func number() throws(JSONParseError) -> JSONValue {
        let start = index
        let negative = bytes[index] == UInt8(ascii: "-")
        if negative { index += 1 }
        // Accumulated as a negative number, whose range includes Int.min.
        var accumulated = 0
        var fitsInt = true
        guard index < bytes.count, let first = digit(at: index) else { throw invalidNumber() }
        index += 1
        if first == 0 {
            if index < bytes.count, digit(at: index) != nil { throw JSONParseError(.invalidNumber, at: start) }
        } else {
            accumulated = -first
            while index < bytes.count, let next = digit(at: index) {
                if fitsInt {
                    let (times10, overflow1) = accumulated.multipliedReportingOverflow(by: 10)
                    let (sum, overflow2) = times10.subtractingReportingOverflow(next)
                    fitsInt = !overflow1 && !overflow2
                    accumulated = sum
                }
                index += 1
            }
        }
        var integral = true
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            try digits()
            integral = false
        }
        if index < bytes.count, bytes[index] | 0x20 == UInt8(ascii: "e") {
            index += 1
            if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") { index += 1 }
            try digits()
            integral = false
        }
        if integral, fitsInt {
            if negative { return .int(accumulated) }
            if accumulated != .min { return .int(-accumulated) }
        }
        return .double(try double(from: start))
    }

    private func digit(at position: Int) -> Int? {
        let byte = bytes[position]
        return byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") ? Int(byte - UInt8(ascii: "0")) : nil
    }

    /// One or more digits, as a fraction or exponent needs.
    private mutating func digits() throws(JSONParseError) {
        guard index < bytes.count, digit(at: index) != nil else { throw invalidNumber() }
        while index < bytes.count, digit(at: index) != nil { index += 1 }
    }

    private func invalidNumber() -> JSONParseError {
        index < bytes.count ? JSONParseError(.invalidNumber, at: index) : JSONParseError(.unexpectedEnd, at: index)
    }

    /// The grammar is already checked, so Swift's correctly rounded conversion cannot fail on
    /// syntax; it only overflows to infinity, which JSON cannot carry back out.
    private func double(from start: Int) throws(JSONParseError) -> Double {
        let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
        guard let value = Double(text), value.isFinite else { throw JSONParseError(.numberOutOfRange, at: start) }
        return value
    }
}
