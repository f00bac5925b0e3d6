#!/usr/bin/env bash
# The main job: import the MOJ plan (from the published document when it is beside the repo),
# generate realistic demo records and ingest them, compute every KPI, and write the report.
set -euo pipefail
YS=.venv/bin/yardstick
doc=../shared/plans/moj-106-109.txt
export YARDSTICK_DATA_DIR=${YARDSTICK_DATA_DIR:-var/data}
mkdir -p var
if [ -f "$doc" ]; then
  $YS plan import "$doc" --ministry 法務部 --period 106-109 \
      --keep-reviews plans/moj-106-109/plan.yaml -o var/moj-106-109.plan.yaml
  $YS plan diff plans/moj-106-109/plan.yaml var/moj-106-109.plan.yaml
fi
$YS plan show plans/moj-106-109/plan.yaml
$YS plan export plans/moj-106-109/plan.yaml --format xlsx -o var/moj-106-109.xlsx
$YS demo generate --scale "${DEMO_SCALE:-0.02}" --seed 106 --out var/demo
$YS kpi check plans/moj-106-109/metrics
$YS kpi compute --year 106-109
$YS kpi explain 8-1 --year 109
echo "plan: var/moj-106-109.xlsx; records: var/demo; batches and KPI values: $YARDSTICK_DATA_DIR"
$YS assess --year 109
$YS report --year 109 --format pdf -o var/report-109.pdf
$YS report --year 109 --format xlsx -o var/report-109.xlsx
$YS report --year 109 --format html -o var/report-109.html
$YS watch --as-of 109-09
echo "annual report: var/report-109.pdf, var/report-109.xlsx, var/report-109.html"
