#!/usr/bin/env bash
# window-bench.sh: the real-window figures, under a private Xvfb display,
# measured with the bench binary bin/kiosk-bench: the kiosk built with its
# benchmark tooling (-tags kioskbench: a frame probe in the window, a bare
# window, the soak), which the product binary bin/kiosk leaves out.
#  - launch to first painted frame: the kiosk (a set-up database) against a bare
#    Fyne window from the same binary (--baseline-window), 5 runs each;
#  - tap to next screen painted, and memory (PSS) over 50 sessions played
#    through the real window (--soak 50).
set -euo pipefail
cd "$(dirname "$0")/.."
# built each time (the build cache makes it quick) so it is never stale;
# no_emoji as the product is built (the Makefile's GOFLAGS), since this
# -tags replaces that one
go build -tags no_emoji,kioskbench -o bin/kiosk-bench ./cmd/kiosk
runs=${RUNS:-5}
tmp=$(mktemp -d)
trap 'kill $xpid 2>/dev/null || true; rm -rf "$tmp"' EXIT
mkfifo "$tmp/fifo"
Xvfb -displayfd 3 -screen 0 1280x800x24 -nolisten tcp 3>"$tmp/fifo" >/dev/null 2>&1 & xpid=$!
read -r -t 10 d <"$tmp/fifo"
export DISPLAY=:$d

# first_frame ARGS...: ms from exec to the first painted frame
first_frame() {
  local log=$tmp/ff.log start
  start=$(date +%s%3N)
  ./bin/kiosk-bench "$@" >"$log" 2>&1 & local pid=$!
  for _ in $(seq 100); do grep -q 'first frame painted' "$log" && break; sleep 0.05; done
  kill $pid 2>/dev/null; wait $pid 2>/dev/null || true
  local at; at=$(grep -o 'unix_ms=[0-9]*' "$log" | head -1 | cut -d= -f2)
  [ -n "$at" ] || { echo "no first frame; log:" >&2; cat "$log" >&2; return 1; }
  echo $((at - start))
}
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

for _ in $(seq "$runs"); do first_frame --baseline-window; done >"$tmp/bare"
# a set-up database (the demo's synthetic patients would be timed too)
[ -x bin/kioskctl ] || go build -o bin/kioskctl ./cmd/kioskctl
KIOSK_NEW_PASSPHRASE="window bench passphrase" ./bin/kioskctl --db "$tmp/kiosk.db" init --admin bench >/dev/null
for _ in $(seq "$runs"); do first_frame --db "$tmp/kiosk.db"; done >"$tmp/kiosk"
bare=$(median <"$tmp/bare"); kiosk=$(median <"$tmp/kiosk")
echo "launch to first frame (median of $runs): bare Fyne window ${bare} ms, kiosk ${kiosk} ms, ratio $(awk "BEGIN {printf \"%.2f\", $kiosk/$bare}") (target <= 1.3)"

# memory of a bare window, then the kiosk over 50 sessions
./bin/kiosk-bench --baseline-window >/dev/null 2>&1 & pid=$!
sleep 3
bare_pss=$(awk '/^Pss:/ {print $2}' /proc/$pid/smaps_rollup)
kill $pid; wait $pid 2>/dev/null || true
echo "bare Fyne window PSS: $((bare_pss / 1024)) MB"

./bin/kiosk-bench --demo --soak "${SESSIONS:-50}" >"$tmp/soak.log" 2>&1 || true
grep -o 'sessions=[0-9]* pss_kb=[0-9]*' "$tmp/soak.log" | awk -F'[ =]' '{printf "after %3d sessions: PSS %d MB\n", $2, $4/1024}'
grep -o 'since_tap_ms=[0-9.]*' "$tmp/soak.log" | cut -d= -f2 | sort -n >"$tmp/taps"
n=$(wc -l <"$tmp/taps")
if [ "$n" -gt 0 ]; then
  awk -v n="$n" '{a[NR]=$1} END {printf "tap to next screen painted (%d screens): median %.1f ms, 95th %.1f ms, max %.1f ms (target 16.7)\n", n, a[int((n+1)/2)], a[int(n*0.95)], a[n]}' "$tmp/taps"
fi
