#!/usr/bin/env bash
# `make demo`: start the bundled Gcore FaaS API emulator on a free port with the example state,
# run `faasdrift check examples/desired.yaml` against it, show the report, stop the emulator.
set -euo pipefail
cd "$(dirname "$0")/.."

log=$(mktemp)
faasdrift emulator --state examples/emulator-state.yaml --api-key '1234$key-for-the-emulator' >"$log" 2>&1 &
pid=$!
trap 'kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; rm -f "$log"' EXIT

url=""
for _ in $(seq 200); do
    url=$(sed -n 's/^faasdrift emulator listening on //p' "$log")
    [ -n "$url" ] && break
    kill -0 "$pid" 2>/dev/null || { echo "demo: the emulator failed to start" >&2; exit 1; }
    sleep 0.05
done
[ -n "$url" ] || { echo "demo: the emulator did not start within 10 s" >&2; exit 1; }

# The command as a reader can run it again (the emulator's key is the demo's, not a secret).
echo "\$ GCORE_API_KEY='1234\$key-for-the-emulator' GCORE_BASE_URL=$url faasdrift check examples/desired.yaml"
echo
set +e
GCORE_API_KEY='1234$key-for-the-emulator' GCORE_BASE_URL="$url" faasdrift check examples/desired.yaml
code=$?
set -e
echo
echo "faasdrift exited $code: drift found, which is what this demo shows (0 means in sync)"
# The example state holds real drift: any other exit code means the demo itself is broken.
[ "$code" -eq 1 ]
