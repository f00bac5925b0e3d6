#!/usr/bin/env bash
# The main job: import the MOJ plan from the published document (when it is beside the repo)
# and show it. Later steps (demo data, KPIs, report) are added here as they land.
set -euo pipefail
YS=.venv/bin/yardstick
doc=../shared/plans/moj-106-109.txt
mkdir -p var
if [ -f "$doc" ]; then
  $YS plan import "$doc" --ministry 法務部 --period 106-109 \
      --keep-reviews plans/moj-106-109/plan.yaml -o var/moj-106-109.plan.yaml
  $YS plan diff plans/moj-106-109/plan.yaml var/moj-106-109.plan.yaml
fi
$YS plan show plans/moj-106-109/plan.yaml
$YS plan export plans/moj-106-109/plan.yaml --format xlsx -o var/moj-106-109.xlsx
$YS plan export plans/moj-106-109/plan.yaml --format md -o var/moj-106-109.md
echo "wrote var/moj-106-109.xlsx and var/moj-106-109.md"
