import Foundation

/// Request body bytes at an address that stays valid for the whole transfer, as
/// `CURLOPT_POSTFIELDS` needs (libcurl reads them again on a redirect). Unlike
/// `CURLOPT_COPYPOSTFIELDS` this does not copy a heap-backed `Data`: holding an unmutated copy
/// of it keeps its storage, and so the address, alive. Small bodies stored inline in the `Data`
/// value have no such address and are copied into a buffer owned here.
final class CurlRequestBody {
    let bytes: UnsafeRawPointer
    let count: Int
    private let pinned: Data?
    private let copy: UnsafeMutableRawBufferPointer?

    init(_ data: Data) {
        count = data.count
        if let shared = Self.sharedAddress(of: data) {
            pinned = data
            copy = nil
            bytes = shared
        } else {
            // At least one byte, so an empty body still has a non-NULL address (NULL would make
            // libcurl read the body from stdin).
            let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: max(data.count, 1), alignment: 1)
            data.withUnsafeBytes { source in
                if let base = source.baseAddress { buffer.baseAddress!.copyMemory(from: base, byteCount: source.count) }
            }
            pinned = nil
            copy = buffer
            bytes = UnsafeRawPointer(buffer.baseAddress!)
        }
    }

    deinit { copy?.deallocate() }

    /// The address of `data`'s bytes when two live copies of it see the same address, i.e. the
    /// bytes sit in heap storage shared by the copies (and kept by any of them); nil when each
    /// copy carries its own inline bytes, or for empty data.
    private static func sharedAddress(of data: Data) -> UnsafeRawPointer? {
        let other = data
        return data.withUnsafeBytes { first in
            other.withUnsafeBytes { second in
                guard let address = first.baseAddress, address == second.baseAddress else { return nil }
                return address
            }
        }
    }
}
