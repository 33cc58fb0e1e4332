import Foundation

/// The real LiteLLM proxy in front of the scripted backend, both on 127.0.0.1; started once per
/// test process (LiteLLM takes seconds to start) and shared by every suite through `shared()`.
///
/// The proxy routes any model name (`model_name: "*"` → `openai/*`) to the backend, does not
/// retry (so each scripted error reaches the client as is) and gives the backend 3 s.
/// LiteLLM lives in its own virtualenv: `$LITELLM_VENV`, default
/// `~/.cache/pipeline-agent/litellm-venv` (made by scripts/install-deps).
public final class LiteLLMStack: Sendable {
    public static let masterKey = "sk-test-master"
    /// A model name the proxy knows with a 4,096-token window (`/model/info` reports it).
    public static let smallWindowModel = "small-window"
    /// The backend timeout the proxy enforces.
    public static let upstreamTimeoutSeconds = 3

    public let backend: TestPeer
    public let proxy: TestPeer
    private let directory: TemporaryDirectory

    public var proxyURL: String { proxy.baseURL }

    /// A fresh model name with an empty script on the shared backend.
    public func model(_ name: String? = nil) -> ScriptedModel {
        name.map { ScriptedModel(baseURL: backend.baseURL, name: $0) } ?? ScriptedModel(baseURL: backend.baseURL)
    }

    private static let instance = Task<LiteLLMStack, any Error> { try await LiteLLMStack() }

    public static func shared() async throws -> LiteLLMStack { try await instance.value }

    public static var python: String {
        let venv = ProcessInfo.processInfo.environment["LITELLM_VENV"]
            ?? FileManager.default.homeDirectoryForCurrentUser.appending(path: ".cache/pipeline-agent/litellm-venv").path
        return venv + "/bin/python"
    }

    private init() async throws {
        directory = TemporaryDirectory()
        backend = try await TestPeer(script: "scripted_model.py")
        let config = """
            model_list:
              - model_name: \(Self.smallWindowModel)
                litellm_params:
                  model: "openai/\(Self.smallWindowModel)"
                  api_base: \(backend.baseURL)/v1
                  api_key: backend-key
                  timeout: \(Self.upstreamTimeoutSeconds)
                  max_retries: 0
                model_info:
                  max_input_tokens: 4096
              - model_name: "*"
                litellm_params:
                  model: "openai/*"
                  api_base: \(backend.baseURL)/v1
                  api_key: backend-key
                  timeout: \(Self.upstreamTimeoutSeconds)
                  max_retries: 0
            litellm_settings:
              num_retries: 0
              request_timeout: \(Self.upstreamTimeoutSeconds)
            router_settings:
              num_retries: 0
              allowed_fails: 1000000
              cooldown_time: 0
              disable_cooldowns: true
            general_settings:
              master_key: \(Self.masterKey)
            """
        let configPath = directory.path("litellm.yaml")
        try config.write(toFile: configPath, atomically: true, encoding: .utf8)
        let python = Self.python
        guard FileManager.default.isExecutableFile(atPath: python) else {
            throw TestSupportError("no LiteLLM virtualenv at \(python): run scripts/install-deps")
        }
        let script = TestPeer.peersDirectory.appendingPathComponent("litellm_peer.py").path
        // Uvicorn binds its port only after the app's startup finished, so accepting means ready.
        proxy = try await TestPeer(
            label: "litellm", environment: ["PYTHONUNBUFFERED": "1"], readyWithin: .seconds(90),
            command: { port in [python, script, "--port", String(port), "--config", configPath] })
    }
}
