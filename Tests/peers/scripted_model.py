"""Scripted OpenAI-compatible chat-completions backend for tests. 127.0.0.1 only, stdlib only.

python3 scripted_model.py --port P

Each test posts {"model": NAME, "steps": [...]} to /_test/script; every POST to
/v1/chat/completions (or /chat/completions) for that model consumes its next step, so tests
that run in parallel keep to their own model name ("*" scripts any model). Steps:

  {"text": "final answer"}                                   plain assistant message
  {"tool_calls": [{"name": "pods_log", "arguments": {...}}]}  native tool calls (arguments
                                                              may also be a JSON string)
  {"status": 429, "error": "slow down", "headers": {"Retry-After": "7"}}   an error answer
  {"raw": "not json", "status": 200}                          a body sent verbatim
  {"delay": 3.0, ...}                                         any step: wait before answering
  {"usage": {"prompt_tokens": 10, "completion_tokens": 5}}    any step: usage to report
  {"text": "...", "fence": "markdown"}                        any text step: answered inside a code fence

Modes that reproduce what small instruct models did with the real prompt (issue 19):

  {"copy_example": true}    answers with the issue example/template of the prompt, copied as is
                            (from its "Title:" line to the end of that block)
  {"bogus_call": true}      answers with a JSON object imitating a tool call, in a ```json fence,
                            whose "name" is the example's title and whose arguments hold its body

  {"quote_evidence": true}  a stand-in for a model that reads the evidence: its issue quotes the
                            last error-looking line of the prompt's evidence block (for the
                            quality benchmark's pipeline run, not a measure of a real model)

A script with "repeat": true answers every request with its last step once the others are used.
A script may set "context_tokens": N (POST /_test/script {"model", "steps", "context_tokens"}):
then a request whose size (characters of messages and tools / 4, plus max_tokens) exceeds N
is refused with HTTP 400 and the error OpenAI sends (code context_length_exceeded,
"This model's maximum context length is N tokens. However, you requested ..."), which
LiteLLM turns into its ContextWindowExceededError; the step is not consumed.

With the script exhausted it answers {"text": "script exhausted"}. GET /_test/requests returns
every request body received (in order; ?model=NAME for one model's); POST /_test/reset
clears scripts and requests.
"""
import json
import re
import threading
import time
from http.server import BaseHTTPRequestHandler

from loopback_server import serve


lock = threading.Lock()
scripts: dict = {}   # model name -> remaining steps
windows: dict = {}   # model name -> context window in tokens
received: list = []  # every request body, in arrival order
counter = 0


repeating: set = set()  # model names whose last step answers forever


def next_step(model: str) -> dict:
    with lock:
        name = model if model in scripts else "*"
        steps = scripts.get(name) or []
        if len(steps) == 1 and name in repeating:
            return steps[0]
        return steps.pop(0) if steps else {"text": "script exhausted"}


def evidence_issue(request: dict) -> str:
    """An issue quoting the last error-looking line of the evidence block in the request."""
    user = next((m.get("content") or "" for m in request.get("messages", []) if m.get("role") == "user"), "")
    facts = {}
    for line in user.split("\n"):
        for label in ("Namespace", "Pod", "Container", "Task"):
            if line.startswith(f"- {label}: "):
                facts[label] = line[len(label) + 4:].strip()
    block = user.split("Evidence (", 1)[-1].split("```")
    lines = [l for l in (block[1] if len(block) > 1 else "").split("\n") if l.strip()]
    lines = [re.sub(r"^L\d+( x\d+)?: ", "", l) for l in lines]
    hits = [l for l in lines if re.search(r"error|fail|exception", l, re.I)] or lines[-1:] or ["(no evidence)"]
    key = hits[-1].strip()
    return (f"{facts.get('Task', 'pipeline')}: {key[:90]}\n\n"
            f"## Cluster/namespace location\nNamespace `{facts.get('Namespace')}`, pod `{facts.get('Pod')}`, "
            f"container `{facts.get('Container')}`.\n\n## Summary\nThe step failed.\n\n"
            f"## Detailed error\n```\n" + "\n".join(h.strip() for h in hits[-3:]) + "\n```\n\n"
            "## Possible causes and solutions\n1. Read the quoted error and fix its cause.")


def example(request: dict):
    """(title, body) of the issue example in the request's messages, or None."""
    for message in request.get("messages", []):
        content = message.get("content") or ""
        if not isinstance(content, str):
            continue
        lines = content.split("\n")
        for index, line in enumerate(lines):
            if line.strip().startswith("Title:"):
                title = line.strip()[len("Title:"):].strip()
                block = []
                for rest in lines[index + 1:]:
                    if not rest.strip():
                        break
                    if rest.strip() == "Body:":
                        continue
                    block.append(rest)
                return title, "\n".join(block)
    return None


def requested_tokens(request: dict) -> int:
    size = len(json.dumps(request.get("messages", []))) + len(json.dumps(request.get("tools", [])))
    return size // 4 + int(request.get("max_tokens") or 0)


def context_error(window: int, requested: int) -> dict:
    return {"error": {
        "message": f"This model's maximum context length is {window} tokens. However, you requested {requested} tokens. "
                   "Please reduce the length of the messages or completion.",
        "type": "invalid_request_error", "param": "messages", "code": "context_length_exceeded"}}


def completion(step: dict, request: dict) -> dict:
    global counter
    with lock:
        counter += 1
        number = counter
    text = step.get("text")
    copied = example(request) if step.get("copy_example") or step.get("bogus_call") else None
    if step.get("quote_evidence"):
        text = evidence_issue(request)
    elif step.get("copy_example"):
        text = f"Title: {copied[0]}\n{copied[1]}" if copied else "no example in the prompt"
    elif step.get("bogus_call"):
        title, body = copied or ("Issue", "")
        text = "```json\n" + json.dumps({"name": title, "arguments": {"title": title, "body": body}}, indent=2) + "\n```"
    if text is not None and step.get("fence"):
        text = f"```{step['fence'] if isinstance(step['fence'], str) else ''}\n{text}\n```"
    message: dict = {"role": "assistant", "content": text}
    finish = "stop"
    if "tool_calls" in step:
        calls = []
        for index, call in enumerate(step["tool_calls"]):
            arguments = call.get("arguments", {})
            if not isinstance(arguments, str):
                arguments = json.dumps(arguments)
            calls.append({
                "id": call.get("id", f"call_{number}_{index}"),
                "type": "function",
                "function": {"name": call["name"], "arguments": arguments},
            })
        message["tool_calls"] = calls
        finish = "tool_calls"
    prompt_chars = len(json.dumps(request.get("messages", [])))
    usage = {"prompt_tokens": max(1, prompt_chars // 4), "completion_tokens": 12}
    usage.update(step.get("usage", {}))
    usage["total_tokens"] = usage["prompt_tokens"] + usage["completion_tokens"]
    return {
        "id": f"chatcmpl-{number}",
        "object": "chat.completion",
        "created": int(time.time()),
        "model": request.get("model", "scripted"),
        "choices": [{"index": 0, "message": message, "finish_reason": finish}],
        "usage": usage,
    }


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, format, *args):  # noqa: A002 - quiet by default
        pass

    def read_json(self):
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        try:
            return json.loads(raw or b"{}")
        except json.JSONDecodeError:
            return {"_unparsed": raw.decode("utf-8", "replace")}

    def send(self, status: int, body: bytes, headers=None, content_type="application/json"):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in (headers or {}).items():
            self.send_header(name, str(value))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        if self.path.startswith("/_test/requests"):
            wanted = self.path.partition("model=")[2]
            with lock:
                body = json.dumps([r for r in received if not wanted or r.get("model") == wanted]).encode()
            self.send(200, body)
        elif self.path in ("/v1/models", "/models"):
            self.send(200, json.dumps({"object": "list", "data": [{"id": "scripted", "object": "model"}]}).encode())
        else:
            self.send(404, b'{"error": "not found"}')

    def do_POST(self):
        body = self.read_json()
        if self.path == "/_test/script":
            with lock:
                scripts[body.get("model", "*")] = list(body.get("steps", []))
                if body.get("repeat"):
                    repeating.add(body.get("model", "*"))
                else:
                    repeating.discard(body.get("model", "*"))
                if body.get("context_tokens"):
                    windows[body.get("model", "*")] = int(body["context_tokens"])
            self.send(200, b"{}")
            return
        if self.path == "/_test/reset":
            with lock:
                scripts.clear()
                windows.clear()
                repeating.clear()
                received.clear()
            self.send(200, b"{}")
            return
        if self.path not in ("/v1/chat/completions", "/chat/completions"):
            self.send(404, b'{"error": "not found"}')
            return
        with lock:
            received.append(body)
            window = windows.get(body.get("model", "")) or windows.get("*")
        if window and requested_tokens(body) > window:
            self.send(400, json.dumps(context_error(window, requested_tokens(body))).encode())
            return
        step = next_step(body.get("model", ""))
        if step.get("delay"):
            time.sleep(float(step["delay"]))
        status = int(step.get("status", 200))
        if "raw" in step:
            self.send(status, step["raw"].encode(), step.get("headers"), step.get("content_type", "application/json"))
        elif status >= 400:
            error = {"message": step.get("error", f"scripted error {status}"),
                     "type": step.get("error_type", "scripted_error"), "code": step.get("code")}
            self.send(status, json.dumps({"error": error}).encode(), step.get("headers"))
        else:
            self.send(200, json.dumps(completion(step, body)).encode(), step.get("headers"))


if __name__ == "__main__":
    serve(Handler)
