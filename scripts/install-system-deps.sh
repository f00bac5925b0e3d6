#!/usr/bin/env bash
# Installs the Debian packages yardstick needs, only those that are missing.
# Safe to run again; needs root (or sudo) only when something is missing.
# chromium drives the browser tests (Playwright is pointed at it: no browser download), wrk loads
# the site in benchmarks/bench_web.py, openjdk-17-jre-headless runs local Spark (the spark engine).
set -euo pipefail
wanted=(fonts-noto-cjk poppler-utils postgresql libharfbuzz-subset0 gettext chromium wrk openjdk-17-jre-headless)
missing=()
for pkg in "${wanted[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
[ ${#missing[@]} -eq 0 ] && exit 0
echo "installing Debian packages: ${missing[*]}"
sudo_cmd=""
[ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
$sudo_cmd apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
