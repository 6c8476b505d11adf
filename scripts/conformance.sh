#!/usr/bin/env bash
# The official MCP conformance suite (@modelcontextprotocol/conformance, a dev dependency) against
# `toolshed serve --http` fronting a small upstream MCP server of ours. Fails on any failure not listed in
# conformance/expected-failures.yml and on any listed one that now passes; always stops the server.
# Run it with Node 24+ on PATH (.ci/run uses scripts/with-node.sh 24).
set -euo pipefail
cd "$(dirname "$0")/.."

READY_TIMEOUT_S=60
RESULTS_DIR=.cache/conformance

[ -f dist/cli.js ] || npm run build >&2

server_log=$(mktemp)
# toolshed fronts a small upstream of ours that offers the suite's resources, prompts and completions
# (test/fixtures/mcp/conformance-upstream.mjs): they pass through toolshed as a gateway.
node bin/toolshed.js serve --http --port 0 --mcp "conformance=node test/fixtures/mcp/conformance-upstream.mjs" 2>"$server_log" &
server_pid=$!
stop_server() {
  kill -TERM "$server_pid" 2>/dev/null || true
  wait "$server_pid" 2>/dev/null || true
  rm -f "$server_log"
}
trap stop_server EXIT

# The bound port is printed on stderr (--port 0); /readyz turns 200 once the catalogs are loaded.
url=""
for _ in $(seq $((READY_TIMEOUT_S * 10))); do
  url=${url:-$(grep -o 'http://127\.0\.0\.1:[0-9]*/mcp' "$server_log" | head -n 1 || true)}
  if [ -n "$url" ] && curl -fsS "${url%/mcp}/readyz" >/dev/null 2>&1; then break; fi
  kill -0 "$server_pid" 2>/dev/null || { cat "$server_log" >&2; echo "conformance: the server exited before it was ready" >&2; exit 1; }
  sleep 0.1
done
curl -fsS "${url%/mcp}/readyz" >/dev/null || { tail -n 20 "$server_log" >&2; echo "conformance: server not ready after ${READY_TIMEOUT_S}s" >&2; exit 1; }

rm -rf "$RESULTS_DIR"
status=0
node_modules/.bin/conformance server --url "$url" \
  --expected-failures conformance/expected-failures.yml --output-dir "$RESULTS_DIR" || status=$?
if [ "$status" -ne 0 ]; then
  echo "conformance: failed (exit $status); per-scenario checks in $RESULTS_DIR; server log tail:" >&2
  tail -n 30 "$server_log" >&2
fi
exit "$status"
