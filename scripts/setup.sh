#!/usr/bin/env bash
# One-time set-up on a fresh Debian machine: system tools the built-ins use, node packages, build.
set -euo pipefail
cd "$(dirname "$0")/.."
need=()
command -v apertium >/dev/null 2>&1 && dpkg -s apertium-eng-spa >/dev/null 2>&1 || need+=(apertium apertium-eng-spa)
command -v xxhsum >/dev/null 2>&1 || need+=(xxhash)   # baseline for `npm run bench`
command -v git >/dev/null 2>&1 || need+=(git)
if [ ${#need[@]} -gt 0 ]; then
  SUDO=$([ "$(id -u)" = 0 ] && echo "" || echo sudo)
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}"
fi
npm ci --no-audit --no-fund
npm run build
