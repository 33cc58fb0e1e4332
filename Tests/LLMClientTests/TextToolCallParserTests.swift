import LLMClient
import Testing

/// Tool calls as models without native tool calling really write them.
@Suite struct TextToolCallParserTests {
    let parser = TextToolCallParser(knownTools: ["pods_log", "pods_get", "events_list", "create_issue"])

    func single(_ text: String) throws -> ToolCall {
        let calls = parser.parse(text)
        try #require(calls.count == 1, "expected one call in: \(text)")
        return calls[0]
    }

    @Test func bareJSONWithNameAndArguments() throws {
        let call = try single(#"{"name": "pods_log", "arguments": {"namespace": "ci", "name": "pod-1"}}"#)
        #expect(call.name == "pods_log")
        #expect(call.arguments == #"{"name":"pod-1","namespace":"ci"}"#)
        #expect(call.id == "text_call_1")
    }

    @Test func llamaPythonTagWithParameters() throws {
        // Llama 3.1 built-in tool format, end-of-message token included.
        let call = try single(#"<|python_tag|>{"name": "pods_get", "parameters": {"name": "pod-1", "namespace": "ci"}}<|eom_id|>"#)
        #expect(call.name == "pods_get")
        #expect(call.arguments == #"{"name":"pod-1","namespace":"ci"}"#)
    }

    @Test func jsonFenceAfterProse() throws {
        let text = """
            I need more log lines to see the first error.

            ```json
            {"name": "pods_log", "arguments": {"name": "pod-1", "tailLines": 500}}
            ```
            """
        let call = try single(text)
        #expect(call.arguments == #"{"name":"pod-1","tailLines":500}"#)
    }

    @Test func toolAndParametersKeys() throws {
        let call = try single(#"{"tool": "events_list", "parameters": {"namespace": "ci"}}"#)
        #expect(call.name == "events_list")
        #expect(call.arguments == #"{"namespace":"ci"}"#)
    }

    @Test func openAIFunctionObjectWithStringArguments() throws {
        let call = try single(#"{"type": "function", "function": {"name": "create_issue", "arguments": "{\"title\": \"Build failed\", \"body\": \"Summary\"}"}}"#)
        #expect(call.name == "create_issue")
        #expect(call.arguments == #"{"body":"Summary","title":"Build failed"}"#)
    }

    @Test func llamaTypeFunctionWithNameAndParameters() throws {
        // Llama 3.2 / 4 JSON tool-call format without a python tag.
        let call = try single(#"{"type": "function", "name": "pods_log", "parameters": {"name": "pod-1", "previous": true}}"#)
        #expect(call.name == "pods_log")
        #expect(call.arguments == #"{"name":"pod-1","previous":true}"#)
    }

    @Test func mistralToolCallsPrefix() throws {
        let calls = parser.parse(#"[TOOL_CALLS][{"name": "pods_get", "arguments": {"name": "pod-1"}}, {"name": "pods_exec", "arguments": {}}]"#)
        #expect(calls.map(\.name) == ["pods_get", "pods_exec"])
    }

    @Test func functionKeyAsName() throws {
        let call = try single(#"{"function": "pods_log", "arguments": {"name": "pod-1"}}"#)
        #expect(call.name == "pods_log")
    }

    @Test func hermesToolCallTagsWithSeveralCalls() throws {
        let text = """
            <tool_call>
            {"name": "pods_get", "arguments": {"name": "pod-1"}}
            </tool_call>
            <tool_call>
            {"name": "events_list", "arguments": {"namespace": "ci"}}
            </tool_call>
            """
        let calls = parser.parse(text)
        #expect(calls.map(\.name) == ["pods_get", "events_list"])
        #expect(calls.map(\.id) == ["text_call_1", "text_call_2"])
    }

    @Test func arrayOfCallsAndToolCallsWrapper() throws {
        let array = parser.parse(#"[{"name": "pods_get", "arguments": {"name": "a"}}, {"name": "pods_log", "arguments": {"name": "a"}}]"#)
        #expect(array.map(\.name) == ["pods_get", "pods_log"])
        let wrapped = parser.parse(#"{"tool_calls": [{"id": "x", "type": "function", "function": {"name": "events_list", "arguments": "{}"}}]}"#)
        #expect(wrapped.map(\.name) == ["events_list"])
        #expect(wrapped.first?.arguments == "{}")
    }

    @Test func knownToolCalledInsideProse() throws {
        let call = try single(#"Let me look at the events first: {"name": "events_list", "arguments": {"namespace": "ci"}} and then decide."#)
        #expect(call.name == "events_list")
    }

    @Test func unknownToolIsACallOnlyWhereTheWholeTextIsTheCall() {
        // The agent then refuses it visibly; in prose it stays prose.
        #expect(parser.parse(#"{"name": "pods_delete", "arguments": {"name": "pod-1"}}"#).map(\.name) == ["pods_delete"])
        #expect(parser.parse(#"You could run {"name": "pods_delete", "arguments": {"name": "pod-1"}} but I won't."#).isEmpty)
    }

    // MARK: Text that is not a call

    @Test func quotedJSONLogLineIsNotACall() {
        #expect(parser.parse(#"The step failed: {"level":"error","msg":"dial tcp 10.0.0.1:5432: connection refused"}"#).isEmpty)
    }

    @Test func configSnippetInFenceIsNotACall() {
        let text = """
            ## Possible causes and solutions
            Set the port in the config:
            ```json
            {"server": {"port": 8080}, "name": "api"}
            ```
            """
        #expect(parser.parse(text).isEmpty)
    }

    @Test func podDescriptionWithNameKeyIsNotACall() {
        #expect(parser.parse(#"The pod {"name": "build-pod-7x9k2", "namespace": "ci", "phase": "Failed"} exited with 1."#).isEmpty)
        #expect(parser.parse(#"{"name": "my-app", "arguments": ["--verbose"]}"#).isEmpty)
    }

    @Test func plainTextAndBrokenJSONAreNotCalls() {
        #expect(parser.parse("The build failed because the test TestParseConfig expected port 8080.").isEmpty)
        #expect(parser.parse(#"{"name": "pods_log", "arguments": {"name": "pod-1""#).isEmpty)
        #expect(parser.parse("").isEmpty)
        #expect(parser.parse(#"{"name": "not a tool name", "arguments": {}}"#).isEmpty)
    }
}

/// Calls a model imitates for tools that do not exist.
@Suite struct UnknownToolNameTests {
    let parser = TextToolCallParser(knownTools: ["pods_log", "create_issue"])

    @Test func aCallNamedAfterAnIssueTitleIsAnUnknownTool() {
        let text = "```json\n{\"name\": \"build-image: npm ci fails\", \"arguments\": {\"title\": \"x\"}}\n```"
        #expect(parser.parse(text).isEmpty)
        #expect(parser.unknownToolNames(in: text) == ["build-image: npm ci fails"])
        #expect(parser.unknownToolNames(in: #"{"function": {"name": "file_bug", "arguments": "{}"}}"#) == ["file_bug"])
    }

    @Test func knownToolsAndJSONThatIsNoCallAreNotReported() {
        #expect(parser.unknownToolNames(in: #"{"name": "pods_log", "arguments": {}}"#).isEmpty)
        #expect(parser.unknownToolNames(in: #"The log printed {"name": "left-pad", "version": "1.3.0"}"#).isEmpty)
    }
}
