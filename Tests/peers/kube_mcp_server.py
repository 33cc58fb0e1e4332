"""Kubernetes MCP stand-in: `pods_log`, `pods_get` and `events_list` with the input schemas of
containers/kubernetes-mcp-server, serving fixture Tekton pods. 127.0.0.1 only.

python3 kube_mcp_server.py --port P --transport sse|streamable-http [--fixtures FILE.json]

Fixture file (optional): {"pods": {"NS/NAME": {"containers": {"step-x": {"log": "...",
"previousLog": "..."}}, "phase": "Failed", "apiError": "..."?}}, "events": {"NS": ["..."]}}
A pod with `apiError` answers every tool with that error, as the real server does when the
Kubernetes API fails (timeouts, 429, 5xx): a tool result with isError, not a protocol error.
`"eventsError": "..."` makes events_list answer that error (isError); `"eventsBytes": N` pads its
answer with N bytes of unrelated events (an answer over the client's size limit).
A container with `"waiting": "REASON"` never started: its log is the API's "is waiting to start"
error and its status a waiting state.
"""
import argparse
import json

from mcp.server.fastmcp import FastMCP

from parent_watch import exit_with_parent

DEFAULT_FIXTURES = {
    "pods": {
        "ci/build-and-test-run-7x9k2-unit-tests-pod": {
            "phase": "Failed",
            "containers": {
                "step-git-clone": {"log": "Cloning into '/workspace/source'...\nHEAD is now at 3f2a1c9\n"},
                "step-unit-tests": {
                    "log": "\n".join([
                        "+ go test ./...",
                        "ok  \texample.com/app/api\t0.412s",
                        "--- FAIL: TestParseConfig (0.00s)",
                        "    config_test.go:42: expected port 8080, got 0",
                        "FAIL\texample.com/app/config\t0.019s",
                        "FAIL",
                        "exit status 1",
                    ]) + "\n",
                    "previousLog": "previous run: OOMKilled after 512Mi\n",
                },
            },
        },
        "ci/image-pull-pod": {
            "phase": "Pending",
            "containers": {
                "step-clone": {"log": "Cloning into '/workspace/source'...\n"},
                "step-build": {"waiting": "ImagePullBackOff"},
            },
        },
        "ci/flaky-apiserver-pod": {
            "phase": "Failed",
            "apiError": "the server is currently unable to handle the request (get pods flaky-apiserver-pod)",
            "containers": {"step-build": {"log": "error: build failed\n"}},
        },
    },
    "events": {
        "ci": [
            "Warning  BackOff  pod/build-and-test-run-7x9k2-unit-tests-pod  Back-off restarting failed container",
        ],
    },
}

# Schemas as the real server declares them (pkg/toolsets/core/pods.go, events.go).
PODS_LOG_SCHEMA = {
    "type": "object",
    "properties": {
        "namespace": {"type": "string", "description": "Namespace to get the Pod logs from"},
        "name": {"type": "string", "description": "Name of the Pod to get the logs from"},
        "container": {"type": "string", "description": "Name of the Pod container to get the logs from (Optional)"},
        "tail": {
            "type": "integer",
            "description": "Number of lines to retrieve from the end of the logs (Optional, default: 100)",
            "default": 100,
            "minimum": 0,
        },
        "previous": {"type": "boolean", "description": "Return previous terminated container logs (Optional)"},
    },
    "required": ["name"],
}
PODS_GET_SCHEMA = {
    "type": "object",
    "properties": {
        "namespace": {"type": "string", "description": "Namespace to get the Pod from"},
        "name": {"type": "string", "description": "Name of the Pod"},
    },
    "required": ["name"],
}
EVENTS_LIST_SCHEMA = {
    "type": "object",
    "properties": {
        "namespace": {
            "type": "string",
            "description": "Optional Namespace to retrieve the events from. If not provided, will list events from all namespaces",
        },
    },
}


def build(port: int, fixtures: dict) -> FastMCP:
    server = FastMCP("kubernetes-mcp-server-standin", host="127.0.0.1", port=port, log_level="WARNING")
    pods = fixtures.get("pods", {})

    def find(namespace: str, name: str) -> dict:
        pod = pods.get(f"{namespace or 'default'}/{name}")
        if pod is None:
            raise ValueError(f'pods "{name}" not found')
        if "apiError" in pod:
            raise ValueError(pod["apiError"])
        return pod

    @server.tool(description="Get the logs of a Kubernetes Pod in the current or provided namespace with the provided name",
                 structured_output=False)
    def pods_log(name: str, namespace: str = "", container: str = "", tail: int = 100,
                 previous: bool = False) -> str:
        try:
            pod = find(namespace, name)
            containers = pod["containers"]
            if not container and len(containers) > 1:
                # The Kubernetes API's answer for a pod with several containers (every Tekton pod).
                raise ValueError(f"a container name must be specified for pod {name}, "
                                 f"choose one of: [{' '.join(containers)}]")
            key = container or next(iter(containers))
            if key not in containers:
                raise ValueError(f"container {key} is not valid for pod {name}")
            if "waiting" in containers[key]:
                raise ValueError(f'container "{key}" in pod "{name}" is waiting to start: '
                                 f'trying and failing to pull image')
            text = containers[key].get("previousLog" if previous else "log", "")
        except ValueError as error:
            raise ValueError(f"failed to get pod {name} log in namespace {namespace}: {error}")
        lines = text.splitlines()
        if tail > 0:
            lines = lines[-tail:]
        if not lines:
            return f"The pod {name} in namespace {namespace} has not logged any message yet"
        return "\n".join(lines) + "\n"

    @server.tool(description="Get a Kubernetes Pod in the current or provided namespace with the provided name",
                 structured_output=False)
    def pods_get(name: str, namespace: str = "") -> str:
        try:
            pod = find(namespace, name)
        except ValueError as error:
            raise ValueError(f"failed to get pod {name} in namespace {namespace}: {error}")
        statuses = "\n".join(
            f"  - name: {c}\n    state:\n      waiting:\n        reason: {v['waiting']}" if "waiting" in v else
            f"  - name: {c}\n    state:\n      terminated:\n        exitCode: {1 if 'log' in v and 'FAIL' in v['log'] else 0}"
            for c, v in pod["containers"].items())
        containers = "\n".join(f"  - name: {c}" for c in pod["containers"])
        return (f"apiVersion: v1\nkind: Pod\nmetadata:\n  name: {name}\n  namespace: {namespace or 'default'}\n"
                f"spec:\n  containers:\n{containers}\nstatus:\n  phase: {pod.get('phase', 'Running')}\n"
                f"  containerStatuses:\n{statuses}\n")

    @server.tool(description="List Kubernetes events (warnings, errors, state changes) for debugging and "
                             "troubleshooting in the current cluster from all namespaces",
                 structured_output=False)
    def events_list(namespace: str = "") -> str:
        if "eventsError" in fixtures:
            raise ValueError(fixtures["eventsError"])
        events = dict(fixtures.get("events", {}))
        padding = int(fixtures.get("eventsBytes", 0))
        if padding:
            line = "Normal  Pulled  pod/unrelated-pod  Container image already present on machine"
            events[namespace or "default"] = events.get(namespace or "default", []) + [line] * (padding // (len(line) + 3) + 1)
        chosen = events.get(namespace, []) if namespace else [e for v in events.values() for e in v]
        if not chosen:
            return "# No events found"
        return "# The following events (YAML format) were found:\n" + "\n".join(f"- {e}" for e in chosen) + "\n"

    # FastMCP derives schemas from signatures (with titles); publish the real server's instead.
    # Private attribute of the pinned mcp 1.30.0; arguments are still validated from the signature.
    for tool_name, schema in (("pods_log", PODS_LOG_SCHEMA), ("pods_get", PODS_GET_SCHEMA),
                              ("events_list", EVENTS_LIST_SCHEMA)):
        server._tool_manager._tools[tool_name].parameters = schema
    return server


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--transport", choices=["sse", "streamable-http"], required=True)
    parser.add_argument("--fixtures", help="JSON file with pods and events")
    args = parser.parse_args()
    exit_with_parent()
    fixtures = DEFAULT_FIXTURES
    if args.fixtures:
        with open(args.fixtures) as handle:
            fixtures = json.load(handle)
    build(args.port, fixtures).run(transport=args.transport)


if __name__ == "__main__":
    main()
