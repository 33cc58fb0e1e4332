extension String {
    /// A copy whose storage is exactly as large as its UTF-8 text. A string built by appending
    /// keeps the capacity its last growth doubled to; texts held for a whole model call (the
    /// excerpt, the prompt) are worth copying once so hundreds of jobs in flight do not hold
    /// up to twice their size.
    public var withExactCapacity: String {
        let count = utf8.count
        return String(unsafeUninitializedCapacity: count) { buffer in
            _ = buffer.initialize(fromContentsOf: utf8)
            return count
        }
    }
}
