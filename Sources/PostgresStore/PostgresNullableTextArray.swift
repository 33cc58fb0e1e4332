import NIOCore
import PostgresNIO

/// A `text[]` parameter whose elements may be NULL: postgres-nio encodes arrays of non-optional
/// elements only. Binary array format (PostgreSQL's `array_recv`): dimensions, has-nulls flag,
/// element type, then per dimension its length and lower bound, then each element as a length
/// (-1 for NULL) and its bytes.
struct PostgresNullableTextArray: PostgresNonThrowingEncodable, Sendable {
    var elements: [String?]

    init(_ elements: [String?]) {
        self.elements = elements
    }

    static var psqlType: PostgresDataType { .textArray }
    static var psqlFormat: PostgresFormat { .binary }

    func encode<JSONEncoder: PostgresJSONEncoder>(into buffer: inout ByteBuffer, context: PostgresEncodingContext<JSONEncoder>) {
        buffer.writeInteger(elements.isEmpty ? 0 : 1, as: Int32.self)
        buffer.writeInteger(elements.contains(nil) ? 1 : 0, as: Int32.self)
        buffer.writeInteger(PostgresDataType.text.rawValue)
        guard !elements.isEmpty else { return }
        buffer.writeInteger(Int32(elements.count))
        buffer.writeInteger(1, as: Int32.self)
        for element in elements {
            guard let element else {
                buffer.writeInteger(-1, as: Int32.self)
                continue
            }
            let length = buffer.writerIndex
            buffer.writeInteger(0, as: Int32.self)
            let written = buffer.writeString(element)
            buffer.setInteger(Int32(written), at: length)
        }
    }
}
