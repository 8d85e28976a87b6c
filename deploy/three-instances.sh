#!/usr/bin/env bash
# Three scheduler instances on one PostgreSQL, on 127.0.0.1:3001-3003, for deploy/nginx.conf.
# Usage: DATABASE_URL=postgres://postgres@127.0.0.1:5432/calls deploy/three-instances.sh
# (after `npm run build`). Logs: JSON lines in deploy/logs/instance-N.log. Ctrl-C stops all three
# (SIGTERM: each finishes its in-flight dials first).
set -euo pipefail
cd "$(dirname "$0")/.."
: "${DATABASE_URL:?set DATABASE_URL to a postgres:// URL: instances share the log only on PostgreSQL}"
mkdir -p deploy/logs
pids=()
stop() { kill -TERM "${pids[@]}" 2>/dev/null || true; wait; }
trap stop INT TERM EXIT
for n in 1 2 3; do
  # The first one runs the migrations; the others start on the migrated schema (a start-up lock guards it anyway).
  HOST=127.0.0.1 PORT=300$n node dist/apps/scheduler-api/src/main.js >>"deploy/logs/instance-$n.log" 2>&1 &
  pids+=($!)
  until curl -sf "http://127.0.0.1:300$n/health" >/dev/null; do
    kill -0 "${pids[-1]}" 2>/dev/null || { echo "instance $n exited; see deploy/logs/instance-$n.log" >&2; exit 1; }
    sleep 0.2
  done
  echo "instance $n: http://127.0.0.1:300$n (pid ${pids[-1]})"
done
wait
