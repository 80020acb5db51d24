#!/usr/bin/env bash
# The system programs the test suite runs for real, checked before any test starts:
#   redis-server (Debian package redis-server), prometheus and promtool (prometheus),
#   alertmanager (prometheus-alertmanager), chromium (chromium).
# On Debian as root the missing packages are installed; elsewhere it stops at once with one
# line naming what to install, so no test waits for a program that is not there.
set -euo pipefail

# "package:program[|other name]" — a program counts as present under any of its names.
REQUIRED=(
  "redis-server:redis-server"
  "prometheus:promtool"
  "prometheus:prometheus"
  "prometheus-alertmanager:prometheus-alertmanager|alertmanager"
  "chromium:chromium"
)

missing_packages() {
  local entry package programs found name
  local -a names out=()
  for entry in "${REQUIRED[@]}"; do
    package="${entry%%:*}"
    programs="${entry#*:}"
    IFS='|' read -r -a names <<<"$programs"
    found=no
    for name in "${names[@]}"; do
      if command -v "$name" >/dev/null 2>&1; then found=yes; fi
    done
    if [ "$found" = no ] && [[ " ${out[*]-} " != *" $package "* ]]; then out+=("$package"); fi
  done
  echo "${out[*]-}"
}

missing="$(missing_packages)"
[ -z "$missing" ] && exit 0

if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "installing the test suite's system packages: $missing" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null
  # shellcheck disable=SC2086 # one word per package
  apt-get install -y -qq --no-install-recommends $missing >/dev/null
  missing="$(missing_packages)"
  [ -z "$missing" ] && exit 0
  echo "error: still missing after apt-get install: $missing" >&2
  exit 1
fi

echo "error: the tests need these programs; install the packages $missing (Debian: sudo apt-get install $missing) and run npm test again" >&2
exit 1
