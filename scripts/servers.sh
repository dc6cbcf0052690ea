# Helpers for the scripts that start the assistant's servers on this machine
# (scripts/chat, scripts/web). Sourced, not executed; run from the repository root.

free_port() {
  # Print $1 if it is a free port on 127.0.0.1, else any free port.
  .venv/bin/python - "${1:-0}" <<'PY'
import socket, sys
for port in (int(sys.argv[1]), 0):
    with socket.socket() as sock:
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            continue
        print(sock.getsockname()[1])
        break
PY
}

wait_for() {
  # Wait until URL $2 answers; fail with the end of log $3 if process $1 exits first.
  for _ in $(seq 1 600); do
    curl -fsS "$2" >/dev/null 2>&1 && return 0
    if ! kill -0 "$1" 2>/dev/null; then
      echo "A server could not start. The last lines of $3:" >&2
      tail -n 20 "$3" >&2
      return 1
    fi
    sleep 0.5
  done
  echo "Timed out waiting for $2; see $3" >&2
  return 1
}

write_endpoints() {
  # Print endpoints.yml with the action server on port $1 (the file itself names 5055).
  .venv/bin/python - "$1" <<'PY'
import sys, yaml
endpoints = yaml.safe_load(open("endpoints.yml")) or {}
# Keep the rest of the action endpoint (the header carrying ACTION_SERVER_TOKEN).
endpoints["action_endpoint"] = {**(endpoints.get("action_endpoint") or {}), "url": f"http://127.0.0.1:{sys.argv[1]}/webhook"}
print(yaml.safe_dump(endpoints, sort_keys=False), end="")
PY
}
