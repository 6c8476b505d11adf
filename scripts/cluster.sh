#!/usr/bin/env bash
# A toolshed cluster on loopback: Redis, N stateless replicas sharing MCP Tasks through it
# (`toolshed serve --http --stateless --tasks redis://...`), and nginx in front of them
# (deploy/nginx/toolshed.conf, deploy/nginx/mcp-retry.js). It stays in the foreground and, every second:
#   - probes each replica's /readyz and routes to the ready ones only: open-source nginx has no active
#     health checks, so the upstream list is rewritten and nginx reloaded (graceful) when it changes;
#   - restarts a replica that exited (killed, crashed, or drained after its own SIGTERM).
# SIGTERM or Ctrl+C stops it gracefully: nginx finishes the requests it has, the replicas drain (their
# running tasks get --shutdown-timeout-ms), Redis stops last.
#
#   npm run build && scripts/with-node.sh 24 scripts/cluster.sh [toolshed serve flags]
#   e.g. scripts/with-node.sh 24 scripts/cluster.sh --config toolshed.config.json
#   kill -TERM "$(cat "$TOOLSHED_CLUSTER_DIR/replica-2.pid")"    # rolling restart of replica 2
#
# Environment:
#   TOOLSHED_CLUSTER_PORT  nginx's port on 127.0.0.1 (default 8780): the MCP URL is http://127.0.0.1:PORT/mcp
#   TOOLSHED_REPLICAS      how many replicas (default 3)
#   TOOLSHED_CLUSTER_DIR   logs, pid files and the generated nginx config (default: a new temporary directory)
#   TOOLSHED_REDIS_PORT    port of the Redis this script starts (default 6390)
#   TOOLSHED_REDIS_URL     use this Redis instead of starting one
#   TOOLSHED_CLUSTER_PARENT_PID  stop when that process is gone (tests: nothing outlives them)
# Each replica gets TOOLSHED_REPLICA=<its number> in its environment.
# Needs: Node 24 on PATH, a built toolshed (dist/), and Debian's redis-server, nginx and its njs module:
#   apt-get install redis-server nginx libnginx-mod-http-js
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
PORT=${TOOLSHED_CLUSTER_PORT:-8780}
REPLICAS=${TOOLSHED_REPLICAS:-3}
DIR=${TOOLSHED_CLUSTER_DIR:-$(mktemp -d "${TMPDIR:-/tmp}/toolshed-cluster.XXXXXX")}
REDIS_PORT=${TOOLSHED_REDIS_PORT:-6390}
REDIS_URL=${TOOLSHED_REDIS_URL:-}
JS_MODULE=${TOOLSHED_NGINX_JS_MODULE:-/usr/lib/nginx/modules/ngx_http_js_module.so}
# Fail a replica's passive check for this long after one failed request, until the next probe decides.
FAIL_TIMEOUT=2s
# Cluster stop: how long nginx may finish what it has before it is stopped at once.
NGINX_QUIT_S=15

# Whoever reads stderr may be gone (a test that died): the clean-up must still run, so no SIGPIPE.
trap '' PIPE
say() { echo "cluster: $*" >&2 2>/dev/null || true; }
die() { say "$*"; exit 1; }

command -v node >/dev/null || die "node is not on PATH: run it as scripts/with-node.sh 24 scripts/cluster.sh"
node -e 'process.exit(Number(process.versions.node.split(".")[0]) >= 24 ? 0 : 1)' ||
  die "toolshed needs Node 24 (this is $(node --version)): run it as scripts/with-node.sh 24 scripts/cluster.sh"
[ -f "$ROOT/dist/cli.js" ] || die "no build in $ROOT/dist: run npm run build first"
command -v nginx >/dev/null || die "nginx is not installed: apt-get install nginx libnginx-mod-http-js"
[ -f "$JS_MODULE" ] || die "nginx's njs module is missing ($JS_MODULE): apt-get install libnginx-mod-http-js"
[ -n "$REDIS_URL" ] || command -v redis-server >/dev/null || die "redis-server is not installed: apt-get install redis-server (or set TOOLSHED_REDIS_URL)"

mkdir -p "$DIR/nginx-tmp"
chmod 755 "$DIR" # nginx's workers (nobody, when started as root) reach its temporary files through it
say "state in $DIR"

declare -a PIDS=() PORTS=()
REDIS_PID='' NGINX_PID='' STOPPING=''

# 0 when something answers on 127.0.0.1:$1 and its first line (HTTP status or RESP) matches $3 after sending $2.
ask() {
  timeout 2 bash -c 'exec 3<>"/dev/tcp/127.0.0.1/$1" && printf "%b" "$2" >&3 && head -n 1 <&3' _ "$1" "$2" 2>/dev/null | grep -q "$3"
}
ready() { ask "$1" 'GET /readyz HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n' '^HTTP/1.[01] 200'; }

start_redis() {
  redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save '' --appendonly no --dir "$DIR" --logfile "$DIR/redis.log" &
  REDIS_PID=$!
  for _ in $(seq 50); do
    ask "$REDIS_PORT" 'PING\r\n' '^+PONG' && return 0
    kill -0 "$REDIS_PID" 2>/dev/null || break
    sleep 0.1
  done
  die "Redis did not start on port $REDIS_PORT: $(tail -n 3 "$DIR/redis.log" 2>/dev/null)"
}

start_replica() {
  local i=$1
  [ -f "$DIR/replica-$i.log" ] && mv "$DIR/replica-$i.log" "$DIR/replica-$i.previous.log"
  TOOLSHED_REPLICA=$i node "$ROOT/bin/toolshed.js" serve --http --port 0 --stateless --tasks "$REDIS_URL" "${SERVE_ARGS[@]}" 2>"$DIR/replica-$i.log" &
  PIDS[i]=$!
  PORTS[i]=''
  echo "${PIDS[i]}" >"$DIR/replica-$i.pid"
}

# The port a replica bound (--port 0), once it has printed its URL.
learn_port() {
  local i=$1
  [ -n "${PORTS[i]}" ] && return 0
  PORTS[i]=$(grep -o 'over Streamable HTTP at http://127.0.0.1:[0-9]*' "$DIR/replica-$i.log" 2>/dev/null | head -n 1 | sed 's/.*://') || true
}

# upstream.conf from the probes: the ready replicas (nginx needs one server at least: when none is, a
# placeholder marked down). Only a change of that set reloads nginx.
write_upstream() {
  local i lines=''
  for ((i = 1; i <= REPLICAS; i++)); do
    [ -n "${PORTS[i]}" ] && ready "${PORTS[i]}" && lines+="server 127.0.0.1:${PORTS[i]} max_fails=1 fail_timeout=$FAIL_TIMEOUT; # replica $i"$'\n'
  done
  [ -n "$lines" ] || lines=$'server 127.0.0.1:1 down; # no replica is ready\n'
  if [ "$lines" != "$(cat "$DIR/upstream.conf" 2>/dev/null)"$'\n' ]; then
    printf '%s' "$lines" >"$DIR/upstream.conf"
    return 0 # changed
  fi
  return 1
}

ready_count() { grep -c '# replica' "$DIR/upstream.conf" || true; }

start_nginx() {
  sed -e "s|{{JS_MODULE}}|$JS_MODULE|" -e "s|{{STATE_DIR}}|$DIR|g" -e "s|{{RETRY_JS}}|$ROOT/deploy/nginx/mcp-retry.js|" \
    -e "s|{{LISTEN}}|127.0.0.1:$PORT|" "$ROOT/deploy/nginx/toolshed.conf" >"$DIR/nginx.conf"
  nginx -t -q -e "$DIR/nginx-error.log" -c "$DIR/nginx.conf" -p "$DIR" || die "nginx refused $DIR/nginx.conf (above)"
  nginx -e "$DIR/nginx-error.log" -c "$DIR/nginx.conf" -p "$DIR" -g 'daemon off;' &
  NGINX_PID=$!
}

# nginx's worker processes (read from /proc: no procps needed).
nginx_workers() {
  local f ppid
  for f in /proc/[0-9]*/stat; do
    read -r _ _ _ ppid _ <"$f" 2>/dev/null && [ "$ppid" = "$NGINX_PID" ] && { f=${f%/stat}; echo "${f#/proc/}"; }
  done
  return 0
}

# Reloads nginx and returns once its old workers no longer accept requests (they still finish theirs).
reload_nginx() {
  local old pid accepting
  old=$(nginx_workers)
  kill -HUP "$NGINX_PID" 2>/dev/null || return 0
  for _ in $(seq 50); do
    accepting=''
    for pid in $old; do
      tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q 'worker process$' && accepting=1
    done
    [ -z "$accepting" ] && return 0
    sleep 0.1
  done
}

# Stops everything this script started, in order; $1 is the exit status.
stop_cluster() {
  [ -n "$STOPPING" ] && return
  STOPPING=1
  trap - TERM INT
  say "stopping: nginx finishes its requests, then the replicas drain"
  if [ -n "$NGINX_PID" ] && kill -QUIT "$NGINX_PID" 2>/dev/null; then
    timeout "$NGINX_QUIT_S" tail --pid="$NGINX_PID" -f /dev/null || kill -TERM "$NGINX_PID" 2>/dev/null || true
    wait "$NGINX_PID" 2>/dev/null || true
  fi
  local pid
  for pid in "${PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  if [ -n "$REDIS_PID" ]; then
    kill -TERM "$REDIS_PID" 2>/dev/null || true
    wait "$REDIS_PID" 2>/dev/null || true
  fi
  say "stopped"
  exit "${1:-0}"
}
trap 'stop_cluster 0' TERM INT
trap 'stop_cluster $?' EXIT # after an error too: nothing it started outlives it

SERVE_ARGS=("$@")
if [ -z "$REDIS_URL" ]; then
  start_redis
  REDIS_URL="redis://127.0.0.1:$REDIS_PORT"
fi
for ((i = 1; i <= REPLICAS; i++)); do start_replica "$i"; done

announced=''
while :; do
  [ -z "${TOOLSHED_CLUSTER_PARENT_PID:-}" ] || kill -0 "$TOOLSHED_CLUSTER_PARENT_PID" 2>/dev/null || { say "process $TOOLSHED_CLUSTER_PARENT_PID is gone"; stop_cluster 0; }
  [ -z "$NGINX_PID" ] || kill -0 "$NGINX_PID" 2>/dev/null || { say "nginx exited: $(tail -n 5 "$DIR/nginx-error.log" 2>/dev/null)"; NGINX_PID=''; stop_cluster 1; }
  [ -z "$REDIS_PID" ] || kill -0 "$REDIS_PID" 2>/dev/null || { say "Redis exited: $(tail -n 3 "$DIR/redis.log")"; REDIS_PID=''; stop_cluster 1; }
  for ((i = 1; i <= REPLICAS; i++)); do
    if ! kill -0 "${PIDS[i]}" 2>/dev/null; then
      status=0
      wait "${PIDS[i]}" 2>/dev/null || status=$?
      say "replica $i (pid ${PIDS[i]}) exited with status $status: restarting it"
      start_replica "$i"
    fi
    learn_port "$i"
  done
  changed=''
  write_upstream && changed=1
  if [ -z "$NGINX_PID" ]; then
    # nginx starts once a replica is ready, so that it never begins with nowhere to send requests.
    [ "$(ready_count)" -eq 0 ] || { start_nginx && changed=1; }
  elif [ -n "$changed" ]; then
    reload_nginx
  fi
  [ -z "$changed" ] || [ -z "$NGINX_PID" ] ||
    say "routing to $(ready_count) of $REPLICAS replicas:$(sed -n 's/^server \([0-9.:]*\).*# replica \([0-9]*\)/ \2 (\1)/p' "$DIR/upstream.conf" | tr -d '\n')"
  # Ready once every replica is, and nginx (reloaded: its new workers) routes to them.
  if [ -z "$announced" ] && [ "$(ready_count)" -eq "$REPLICAS" ] && ready "$PORT"; then
    announced=1
    say "ready: http://127.0.0.1:$PORT/mcp ($REPLICAS replicas, tasks in $REDIS_URL)"
  fi
  sleep 1 &
  wait $! || true
done
