#!/usr/bin/env bash
# The main job: set up the database, load the MOJ plan (unless already stored), create one demo
# account per role, generate realistic demo records and ingest them, let the worker compute every
# KPI, write the assessment and the annual report, then serve the site on http://127.0.0.1:8000
# with gunicorn (and the worker beside it) until Ctrl-C.
#
# Settings from the environment: DEMO_SCALE (default 0.02), DEMO_REPORTS=0 to skip the report
# files, DEMO_SERVE=0 to stop before serving, DEMO_PORT (8000), DEMO_WORKERS (gunicorn processes,
# 3), DATABASE_URL (default: SQLite under var/), YARDSTICK_HOME (where var/ is).
set -euo pipefail
YS=.venv/bin/yardstick
doc=../shared/plans/moj-106-109.txt
home=${YARDSTICK_HOME:-.}
var="$home/var"
export YARDSTICK_DATA_DIR=${YARDSTICK_DATA_DIR:-$var/data}
mkdir -p "$var"

$YS db migrate
if [ -f "$doc" ]; then
  $YS plan import "$doc" --ministry 法務部 --period 106-109 \
      --keep-reviews plans/moj-106-109/plan.yaml -o "$var/moj-106-109.plan.yaml"
  $YS plan diff plans/moj-106-109/plan.yaml "$var/moj-106-109.plan.yaml"
fi
$YS plan show plans/moj-106-109/plan.yaml
$YS plan export plans/moj-106-109/plan.yaml --format xlsx -o "$var/moj-106-109.xlsx"

$YS demo accounts --plan-folder plans/moj-106-109 --secrets-file "$var/demo-accounts.json"
export YARDSTICK_USER=planner
document=()
[ -f "$doc" ] && document=(--document "$doc")
# A plan already stored keeps what people changed in it: the folder is loaded only the first time.
$YS plan load plans/moj-106-109 --if-absent "${document[@]}"
$YS demo generate --scale "${DEMO_SCALE:-0.02}" --seed 106 --out "$var/demo"
$YS worker --until-idle
$YS kpi check
$YS kpi compute --year 106-109
$YS kpi explain 8-1 --year 109
$YS assess --year 109
if [ "${DEMO_REPORTS:-1}" != 0 ]; then
  $YS report --year 109 --format pdf -o "$var/report-109.pdf"
  $YS report --year 109 --format xlsx -o "$var/report-109.xlsx"
  $YS report --year 109 --format html -o "$var/report-109.html"
  echo "annual report: $var/report-109.pdf, $var/report-109.xlsx, $var/report-109.html"
fi
$YS watch --as-of 109-09
echo "database: ${DATABASE_URL:-sqlite $var/yardstick.sqlite3}; batch files: $YARDSTICK_DATA_DIR"
echo "demo accounts and their passwords: $var/demo-accounts.json"

[ "${DEMO_SERVE:-1}" = 0 ] && exit 0

# The site: a secret key made for this machine (kept in var/, 0600), static files collected for
# whitenoise, the worker beside the production server. Plain http on 127.0.0.1, so cookies are
# not marked Secure here; behind TLS leave YARDSTICK_SECURE_COOKIES unset.
if [ ! -s "$var/secret_key" ]; then
  (umask 077 && .venv/bin/python -c "import secrets; print(secrets.token_urlsafe(50))" > "$var/secret_key")
fi
export DJANGO_SECRET_KEY_FILE="$var/secret_key" YARDSTICK_SECURE_COOKIES=false
export YARDSTICK_STATIC_ROOT="$var/static"
.venv/bin/python -m django collectstatic --noinput -v 0 --settings yardstick.web.settings
unset YARDSTICK_USER
$YS worker &
worker=$!
trap 'kill "$worker" 2>/dev/null; wait "$worker" 2>/dev/null' EXIT INT TERM
port=${DEMO_PORT:-8000}
echo
$YS demo accounts --plan-folder plans/moj-106-109 --secrets-file "$var/demo-accounts.json"
echo "serving the site on http://127.0.0.1:$port (Ctrl-C stops it); sign in with an account above"
.venv/bin/gunicorn yardstick.web.wsgi:application --bind "127.0.0.1:$port" \
    --workers "${DEMO_WORKERS:-3}" --threads 2 --access-logfile - --log-level warning
