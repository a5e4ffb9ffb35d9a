#!/bin/sh
# Runs the shell command "$1" next to a real Apertium APy server (Debian's apertium-apy) on
# 127.0.0.1:2737. Run it inside a private network namespace with only loopback:
#   unshare -n sh with-apy.sh 'COMMAND'
# APy listens on every interface and has no bind-address option; in the namespace nothing
# outside can reach it, and the fixed port cannot collide with anything. APy and every pipeline
# it started (its process group) are killed when this script ends, however it ends.
set -eu
ip link set lo up
setsid apertium-apy -p 2737 /usr/share/apertium/modes >"${APY_LOG:-/dev/null}" 2>&1 &
APY=$!
trap 'kill -TERM -$APY 2>/dev/null || true; wait $APY 2>/dev/null || true' EXIT INT TERM
node -e "
const deadline = Date.now() + 60000;
(async () => {
  for (;;) {
    try { if ((await fetch('http://127.0.0.1:2737/listPairs')).ok) return; } catch {}
    if (Date.now() > deadline) { console.error('apertium-apy did not answer within 60 s'); process.exit(1); }
    await new Promise((r) => setTimeout(r, 100));
  }
})();
"
sh -c "$1"
