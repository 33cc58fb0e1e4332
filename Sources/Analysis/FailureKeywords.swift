/// Words and phrases that mark a failure in the output of common build and test tools
/// (make, maven, gradle, junit, go test, pytest, npm, cargo, docker, kubernetes).
/// Matched case-insensitively; `wordStart` requires a non-letter before the match so that
/// identifiers such as `-Werror` or `stderr` do not count.
struct FailureKeyword: Sendable {
    let text: [UInt8]
    let weight: Float
    let wordStart: Bool
    /// Letters that may follow the match within the same word (nil: anything may follow).
    let suffixes: [[UInt8]]?
    /// A failure count word (`errors`, `failures`): "0 errors" or "Failures: 0" is no failure.
    let countable: Bool
    /// May end a class name (`AssertionError`, `IOException`) despite the letters before it.
    let endsClassName: Bool

    init(
        _ text: String, _ weight: Float, wordStart: Bool = true, suffixes: [String]? = nil,
        countable: Bool = false, endsClassName: Bool = false
    ) {
        self.text = Array(text.utf8)
        self.weight = weight
        self.wordStart = wordStart
        self.suffixes = suffixes.map { $0.map { Array($0.utf8) } }
        self.countable = countable
        self.endsClassName = endsClassName
    }

    static let all: [FailureKeyword] = [
        FailureKeyword("error", 5, suffixes: ["", "s"], countable: true, endsClassName: true),
        FailureKeyword("fail", 5, suffixes: ["", "s", "ed", "ure", "ures", "ing"], countable: true),
        FailureKeyword("fatal", 6, suffixes: [""]),
        FailureKeyword("panic", 5, suffixes: ["", "ked"]),
        FailureKeyword("traceback", 6),
        FailureKeyword("exception", 5, suffixes: ["", "s"], endsClassName: true),
        FailureKeyword("caused by:", 6),
        FailureKeyword("assert", 4),
        FailureKeyword("cannot ", 4),
        FailureKeyword("can't ", 4),
        FailureKeyword("could not", 4),
        FailureKeyword("couldn't", 4),
        FailureKeyword("unable to", 4),
        FailureKeyword("not found", 4),
        FailureKeyword("no such file", 5),
        FailureKeyword("permission denied", 5),
        FailureKeyword("access denied", 5),
        FailureKeyword("denied", 3),
        FailureKeyword("refused", 4),
        FailureKeyword("timed out", 4),
        FailureKeyword("timeout", 3),
        FailureKeyword("no space left", 6),
        FailureKeyword("out of memory", 6),
        FailureKeyword("oomkilled", 6),
        FailureKeyword("killed", 3, suffixes: [""]),
        FailureKeyword("segmentation fault", 6),
        FailureKeyword("core dumped", 5),
        FailureKeyword("undefined", 4),
        FailureKeyword("unresolved", 4),
        FailureKeyword("incompatible", 4),
        FailureKeyword("invalid", 3),
        FailureKeyword("missing", 3),
        FailureKeyword("unexpected", 3),
        FailureKeyword("mismatch", 3),
        FailureKeyword("expected", 2),
        FailureKeyword("abort", 4),
        FailureKeyword("violation", 3),
        FailureKeyword("inconsistent", 3),
        FailureKeyword("not up-to-date", 3),
        FailureKeyword("wrong", 2),
        FailureKeyword("exit code", 3),
        FailureKeyword("exit status", 3),
        FailureKeyword("exited with", 3),
        FailureKeyword("non-zero", 3),
        FailureKeyword("what went wrong", 5),   // gradle
        FailureKeyword("but was", 4),           // junit assertions
        FailureKeyword("crashloopbackoff", 6),
        FailureKeyword("imagepullbackoff", 6),
        FailureKeyword("errimagepull", 6),
        FailureKeyword("evicted", 4),
    ]

    /// How tool boilerplate lines begin (after any `[LEVEL]` prefix): they accompany a
    /// failure but do not explain it.
    static let boilerplate: [[UInt8]] = [
        "-> [help", "[help", "re-run maven", "re-run the maven", "to see the full stack trace",
        "for more information about the errors", "after correcting the problems", "mvn <",
        "process completed with exit code", "make: ***", "make[", "npm err! a complete log of this run",
        "npm err! a complete log", "error: job failed", "please refer to", "see the dump file",
    ].map { Array($0.utf8) }
}
