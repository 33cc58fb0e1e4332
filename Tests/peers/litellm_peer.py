"""Runs the LiteLLM proxy (PyPI `litellm[proxy]`, in its own virtualenv: it needs mcp 2.x while
the MCP peers pin 1.x) in this process, so it exits with the test process. Offline: the
model cost map is the one bundled with the package, telemetry is off, no database.

<venv>/bin/python litellm_peer.py --port P --config FILE
"""
import argparse
import os
import sys

from parent_watch import exit_with_parent


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--config", required=True)
    args = parser.parse_args()
    exit_with_parent()
    # Must be set before litellm is imported: it fetches the cost map at import time otherwise.
    os.environ.setdefault("LITELLM_OFFLINE_MODE", "true")  # every catalogue fetch off (newer releases)
    os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")
    os.environ.setdefault("LITELLM_TELEMETRY_DISABLED", "True")
    os.environ.setdefault("DISABLE_SCHEMA_UPDATE", "True")
    os.environ.setdefault("LITELLM_LOG", "ERROR")
    os.environ.setdefault("LITELLM_MODE", "PRODUCTION")  # no .env files picked up from parent folders
    os.environ.pop("DATABASE_URL", None)
    from litellm.proxy.proxy_cli import run_server

    sys.argv = ["litellm", "--config", args.config, "--host", "127.0.0.1", "--port", str(args.port), "--num_workers", "1"]
    run_server()


if __name__ == "__main__":
    main()
