#!/usr/bin/env bash
# `make run`: migrate, load the demo, then serve the app with the background worker beside it.
# The worker renders minutes, builds big exports and refreshes summaries; it stops with the server.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
PY=.venv/bin/python
PORT=${PORT:-8000}

mkdir -p "${VAR_DIR:-var}"
"$PY" manage.py migrate --noinput
"$PY" manage.py demo

# --queue-name '*': every queue, so one process is the whole worker pool in development.
"$PY" manage.py db_worker --queue-name '*' --no-startup-delay &
worker=$!
trap 'kill "$worker" 2>/dev/null; wait "$worker" 2>/dev/null || true' EXIT INT TERM
echo "Background worker started (pid $worker)."

"$PY" manage.py runserver "127.0.0.1:$PORT"
