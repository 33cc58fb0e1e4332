/// What one cleaned log line says about the failure.
struct LineSignal: Sendable, Equatable {
    /// 0 = nothing; ~5 = a plain error line; 7+ = a test/compile failure header.
    var score: Float = 0
    /// Tool boilerplate (`[ERROR] -> [Help 1]`, `Process completed with exit code 1`).
    var boilerplate = false
    /// Line opens or closes a PEM private key block.
    var opensPrivateKey = false
    var closesPrivateKey = false
}
