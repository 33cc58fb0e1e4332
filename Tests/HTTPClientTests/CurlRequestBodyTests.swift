import Foundation
@testable import HTTPClient
import Testing

/// The body libcurl sends stays at one address for the whole transfer without being copied
/// when the `Data` keeps it on the heap.
struct CurlRequestBodyTests {
    @Test func heapBackedDataIsPinnedNotCopied() {
        let data = Data((0..<4096).map { UInt8($0 % 251) })
        let body = CurlRequestBody(data)
        #expect(body.count == data.count)
        #expect(data.withUnsafeBytes { $0.baseAddress } == body.bytes)
    }

    @Test func sliceIsPinnedAtItsOffset() {
        let whole = Data((0..<4096).map { UInt8($0 % 251) })
        let slice = whole[100..<3000]
        let body = CurlRequestBody(slice)
        #expect(body.count == 2900)
        #expect(Data(bytes: body.bytes, count: body.count) == slice)
    }

    @Test func pinnedBytesSurviveTheCallerChangingItsCopy() {
        var data = Data(repeating: 7, count: 1000)
        let body = CurlRequestBody(data)
        data[0] = 9
        data.append(contentsOf: [UInt8](repeating: 1, count: 100_000))
        #expect(Data(bytes: body.bytes, count: body.count) == Data(repeating: 7, count: 1000))
    }

    @Test func smallInlineDataIsCopied() {
        let data = Data("{}".utf8)
        let body = CurlRequestBody(data)
        #expect(body.count == 2)
        #expect(Data(bytes: body.bytes, count: body.count) == data)
    }

    @Test func emptyBodyHasAnAddress() {
        let body = CurlRequestBody(Data())
        #expect(body.count == 0)
    }
}
