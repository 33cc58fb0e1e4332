import Testing

/// ingest → worker → issue with the real binaries against the real peers: LiteLLM + scripted
/// model, gitea-mcp + fake Gitea, the Kubernetes MCP stand-in (issue 7, "Must be true").
/// Serialized: several tests measure time or kill processes, and the machine is small.
@Suite(.serialized, .timeLimit(.minutes(5))) struct EndToEndTests {}
