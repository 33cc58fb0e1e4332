import Foundation
import LLMClient
import Logging
import MCPClient

/// The agent loop: the model reads the evidence, may call the allowed MCP tools, and ends —
/// ideally after creating the issue. Everything sent and received goes to the transcript.
public struct AnalysisAgent: Sendable {
    public let model: any ChatModel
    public let router: ToolRouter
    public let configuration: AgentConfiguration
    /// Applied to every tool result before the model or the transcript sees it.
    public let redact: @Sendable (String) -> String
    public let logger: Logger
    /// The system prompt; a caller running many analyses passes one string to all of them.
    public let systemPrompt: String

    public init(
        model: any ChatModel, router: ToolRouter, configuration: AgentConfiguration,
        redact: @escaping @Sendable (String) -> String = { $0 },
        logger: Logger = Logger(label: "pipeline-agent.agent"),
        systemPrompt: String? = nil
    ) {
        self.model = model
        self.router = router
        self.configuration = configuration
        self.redact = redact
        self.logger = logger
        self.systemPrompt = systemPrompt
            ?? AgentPrompt.system(repository: configuration.policy.repository, dryRun: configuration.policy.dryRun)
    }

    /// `evidence` is the log excerpt; it is redacted here too, in case the caller did not.
    /// It is consumed: once it is in the prompt no second copy stays alive for the whole run
    /// (with hundreds of runs in flight, that copy is a good part of the worker's memory).
    public func run(context: PodContext, evidence: consuming String, transcript: any TranscriptRecorder) async throws(AgentError) -> AgentOutcome {
        var logger = logger
        logger[metadataKey: "namespace"] = "\(context.namespace)"
        logger[metadataKey: "pod"] = "\(context.pod)"
        let policy = configuration.policy
        let allTools = router.definitions(allowed: policy)
        var seq = 0
        func store(_ entry: TranscriptEntry) async throws(AgentError) {
            do { try await transcript.record(entry) } catch { throw .transcript("\(error)") }
            seq += 1
        }

        // Kept whole while the run lasts: a context-window error makes the prompt again with less of it.
        let excerpt = redact(consume evidence)
        // What the issue must quote from: the excerpt now, tool results as they come.
        var gate = IssueQualityGate(pod: context, evidence: excerpt)
        var budget = ContextBudget(windowTokens: configuration.contextTokens, configuredAnswerTokens: configuration.maxTokens)
        var tools: [ToolDefinition] = []
        var runner = ToolCallRunner(router: router, configuration: configuration, pod: context, redact: redact, logger: logger)
        var messages: [ChatMessage] = []
        var neededToolsOnly = false
        /// The conversation's start, sized to `budget`: the tool list, the excerpt and the
        /// tool results' cap shrink with the window.
        func start() async throws(AgentError) {
            tools = neededToolsOnly ? allTools.filter { ContextBudget.neededTools.contains($0.name) } : budget.offered(allTools)
            var sized = configuration
            sized.maxToolResultBytes = min(configuration.maxToolResultBytes, budget.toolResultBytes)
            runner = ToolCallRunner(router: router, configuration: sized, pod: context, redact: redact, logger: logger)
            let fixed = systemPrompt.utf8.count + AgentPrompt.user(context: context, evidence: "").utf8.count
                + tools.reduce(0) { $0 + ContextBudget.definitionBytes($1) }
            let fitted = TextBudget.capLines(excerpt, maxBytes: max(256, budget.excerptBytes(fixedBytes: fixed)))
            messages = [.system(systemPrompt), .user(AgentPrompt.user(context: context, evidence: fitted))]
            for message in messages {
                try await store(TranscriptEntry(seq: seq, role: message.role, content: message.content))
            }
        }
        try await start()
        var shrinks = 0

        var outcome = AgentOutcome(finalText: "", withheldCalls: [], iterations: 0, tokensIn: 0, tokensOut: 0)
        let knownTools = Set(router.order)
        var lastText: String?
        var repairAsked = false
        // A rejected answer (quality gates, an imitated call) gets one repair turn.
        var qualityRepairUsed = false
        let parser = TextToolCallParser(knownTools: knownTools)
        while outcome.iterations < configuration.maxIterations {
            outcome.iterations += 1
            let request = ChatRequest(
                messages: messages, tools: tools, toolChoice: tools.isEmpty ? nil : .auto,
                temperature: configuration.temperature, maxTokens: budget.answerTokens)
            let completion: ChatCompletion
            do { completion = try await model.complete(request) } catch {
                // The issue exists already: a model that fails afterwards does not undo it.
                if outcome.issueCreated {
                    logger.warning("the model failed after the issue was created", metadata: ["error": "\(error)"])
                    break
                }
                // Too long for the model's window: start again at once, smaller, with only the
                // needed tools. Not an attempt's failure: the next attempt would send the same.
                if case .contextLengthExceeded = error, shrinks < 3 {
                    shrinks += 1
                    budget = budget.shrunk(reported: error.reportedContextTokens)
                    logger.warning("the request exceeded the model's context window; starting again smaller", metadata: [
                        "window_tokens": "\(budget.windowTokens)", "error": "\(error)"])
                    neededToolsOnly = true
                    try await start()
                    continue
                }
                throw .model(error)
            }
            outcome.tokensIn += completion.usage?.promptTokens ?? 0
            outcome.tokensOut += completion.usage?.completionTokens ?? 0

            let (calls, written) = completion.toolCalls(knownTools: knownTools)
            let text = completion.message.content?.trimmingCharacters(in: .whitespacesAndNewlines)
            if let text, !text.isEmpty { lastText = text }
            // The model saw only redacted text, but what it writes is redacted too, both in the
            // history it gets back and in storage (the calls themselves run as written).
            let redactedCalls = calls.map { ToolCall(id: $0.id, name: $0.name, arguments: redact($0.arguments)) }
            let answer = ChatMessage.assistant(completion.message.content.map(redact), toolCalls: redactedCalls)
            messages.append(answer)
            try await store(TranscriptEntry(
                seq: seq, role: .assistant, content: answer.content,
                toolCalls: redactedCalls,
                model: completion.model ?? model.modelName, tokensIn: completion.usage?.promptTokens,
                tokensOut: completion.usage?.completionTokens,
                latencyMilliseconds: Int(completion.latency / .milliseconds(1))))
            logger.info("model answered", metadata: [
                "iteration": "\(outcome.iterations)", "tool_calls": "\(calls.map(\.name))", "written_calls": "\(written)",
                "tokens_in": "\(completion.usage?.promptTokens ?? 0)", "tokens_out": "\(completion.usage?.completionTokens ?? 0)",
            ])

            guard !calls.isEmpty else {
                // An empty answer is repaired once by asking again; then it is what it is.
                if (text ?? "").isEmpty, !repairAsked, outcome.iterations < configuration.maxIterations {
                    repairAsked = true
                    let nudge = ChatMessage.user(AgentPrompt.emptyAnswerRepair)
                    messages.append(nudge)
                    try await store(TranscriptEntry(seq: seq, role: .user, content: nudge.content))
                    continue
                }
                // After the issue exists the final text is only a summary; before, it is the issue.
                outcome.finalText = text ?? ""
                guard !outcome.issueCreated, outcome.proposedIssue == nil else { return outcome }
                if outcome.finalText.isEmpty {
                    outcome.rejection = "the model answered with nothing"
                    return outcome
                }
                // Judged as it would be filed: redacted, like the evidence it must quote.
                let problems = answerProblems(redact(outcome.finalText), gate: gate, parser: parser, offered: tools.map(\.name))
                if problems.isEmpty { return outcome }
                logger.notice("the model's answer failed the quality gates", metadata: ["problems": "\(problems)"])
                if qualityRepairUsed || outcome.iterations >= configuration.maxIterations {
                    outcome.rejection = problems.joined(separator: "; ")
                    return outcome
                }
                qualityRepairUsed = true
                let repair = ChatMessage.user(AgentPrompt.qualityRepair(problems))
                messages.append(repair)
                try await store(TranscriptEntry(seq: seq, role: .user, content: repair.content))
                continue
            }
            for call in calls {
                let result: ToolCallOutcome
                let creates = ToolPolicy.createsIssue(name: call.name)
                if creates, outcome.issue != nil || outcome.proposedIssue != nil {
                    // One failure, one issue: a second create in the same run is refused.
                    let existing = outcome.issue?.url ?? outcome.issue?.number.map { "#\($0)" } ?? "already prepared"
                    result = ToolCallOutcome(
                        reply: "Error: the issue for this failure was already created (\(existing)); do not create another. Finish now.",
                        arguments: call.arguments)
                } else if creates, outcome.issueCreateAttempted {
                    // A create that answered with an error (a timeout, a 500) may still have
                    // created the issue; another try could make a second one.
                    result = ToolCallOutcome(
                        reply: "Error: \(call.name) was already called for this failure and may have created the issue although "
                            + "it answered with an error; do not call it again. Finish with your analysis as plain text.",
                        arguments: call.arguments)
                } else if creates, case let problems = gate.problems(arguments: call.arguments, redact: redact), !problems.isEmpty {
                    // Checked before the call is made: a create that fails the gates files nothing.
                    logger.notice("a create call failed the quality gates", metadata: ["problems": "\(problems)"])
                    if qualityRepairUsed {
                        outcome.rejection = problems.joined(separator: "; ")
                        return outcome
                    }
                    qualityRepairUsed = true
                    result = ToolCallOutcome(reply: AgentPrompt.rejectedCreate(problems), arguments: call.arguments)
                } else {
                    result = try await runner.run(call)
                    if creates, result.reachedServer { outcome.issueCreateAttempted = true }
                    if !creates, !ToolPolicy.writes(name: call.name) { gate.add(evidence: result.reply) }
                }
                if let issue = result.createdIssue { outcome.issue = issue }
                if result.withheld { outcome.withheldCalls.append(call) }
                if outcome.proposedIssue == nil, let proposal = result.proposedIssue { outcome.proposedIssue = proposal }
                messages.append(.tool(callID: call.id, name: call.name, result: result.reply))
                try await store(TranscriptEntry(
                    seq: seq, role: .tool, content: result.reply, toolName: call.name, toolCallID: call.id,
                    toolArguments: redact(result.arguments), toolResult: result.fullResult))
            }
            let used = outcome.tokensIn + outcome.tokensOut
            if used > configuration.tokenBudget {
                if outcome.issueCreated { break }
                throw .tokenBudgetExceeded(used: used, budget: configuration.tokenBudget)
            }
        }
        // The issue exists: a model that will not stop afterwards does not undo that.
        if outcome.issueCreated {
            logger.warning("stopped the model after the issue was created", metadata: ["iterations": "\(outcome.iterations)"])
            outcome.finalText = lastText ?? ""
            return outcome
        }
        throw .maxIterationsReached(limit: configuration.maxIterations, lastText: lastText)
    }

    /// What keeps a final text from being the issue: an imitated call to a tool that does not
    /// exist, or the quality gates.
    private func answerProblems(_ text: String, gate: IssueQualityGate, parser: TextToolCallParser, offered: [String]) -> [String] {
        let unknown = parser.unknownToolNames(in: text)
        if !unknown.isEmpty {
            let list = offered.isEmpty ? "none" : offered.joined(separator: ", ")
            return unknown.map { "no tool named \($0.prefix(120)); the tools are \(list)" }
        }
        let issue = IssueText.parse(text)
        return gate.problems(title: issue.title, body: issue.body, requiresTitle: false)
    }
}
