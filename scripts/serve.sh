#!/usr/bin/env bash
# Serves a deployment's site as `make demo` does, in the foreground until Ctrl-C (or SIGTERM):
# a secret key made for the machine (kept in var/, 0600), static files collected for whitenoise,
# the worker beside gunicorn. Used by scripts/demo.sh, the browser tests and benchmarks/bench_web.py.
#
# Settings from the environment: DEMO_PORT (8000), DEMO_WORKERS (gunicorn processes, 3),
# DEMO_THREADS (threads per process, 1: gunicorn's sync workers; on 2 cores, 50 clients on the
# dashboard and a KPI page: p95 170 / 173 ms and p99 200 / 239 ms, where 3 × 2 threads gave
# p95 170 / 207 ms and p99 262 / 294 ms — threads contend for one interpreter lock and each
# keep-alive connection stays with one process; see benchmarks/results/web.md),
# DATABASE_URL (default: SQLite under var/), YARDSTICK_HOME (where var/ is), YARDSTICK_DATA_DIR,
# DEMO_ACCESS_LOG (gunicorn's access log, default - for the console).
set -euo pipefail
cd "$(dirname "$0")/.."
home=${YARDSTICK_HOME:-.}
var="$home/var"
export YARDSTICK_DATA_DIR=${YARDSTICK_DATA_DIR:-$var/data}
mkdir -p "$var"

# Plain http on 127.0.0.1, so cookies are not marked Secure here; behind TLS leave
# YARDSTICK_SECURE_COOKIES unset.
if [ ! -s "$var/secret_key" ]; then
  (umask 077 && .venv/bin/python -c "import secrets; print(secrets.token_urlsafe(50))" > "$var/secret_key")
fi
export DJANGO_SECRET_KEY_FILE="$var/secret_key" YARDSTICK_SECURE_COOKIES=false
export YARDSTICK_STATIC_ROOT="$var/static"
.venv/bin/python -m django collectstatic --noinput -v 0 --settings yardstick.web.settings
unset YARDSTICK_USER
.venv/bin/yardstick worker &
worker=$!
trap 'kill "$worker" 2>/dev/null; wait "$worker" 2>/dev/null' EXIT INT TERM
port=${DEMO_PORT:-8000}
echo "serving the site on http://127.0.0.1:$port (Ctrl-C stops it)"
.venv/bin/gunicorn yardstick.web.wsgi:application --bind "127.0.0.1:$port" \
    --workers "${DEMO_WORKERS:-3}" --threads "${DEMO_THREADS:-1}" --access-logfile "${DEMO_ACCESS_LOG:--}" \
    --log-level warning
