#!/usr/bin/env bash
# staff-screenshots.sh [OUTDIR]: screenshots of staff mode in a real window
# under Xvfb at 1280x800, on the demo database: the review queue, a
# session's summary, its answers, the search. The long press on the logo
# that opens the sign-in is made with xdotool (mouse down, 3.3 s, up).
# Needs xvfb, xdotool and imagemagick.
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-out}
mkdir -p "$out"
go build -o bin/kiosk ./cmd/kiosk
w=1280 h=800
fifo=$(mktemp -u)
mkfifo "$fifo"
Xvfb -displayfd 3 -screen 0 "${w}x${h}x24" -nolisten tcp 3>"$fifo" >/dev/null 2>&1 & xpid=$!
read -r -t 10 d <"$fifo"
rm -f "$fifo"
export DISPLAY=:$d
setsid ./bin/kiosk --demo --fullscreen --theme light >/dev/null 2>&1 & kpid=$!
trap 'kill -- -$kpid 2>/dev/null || kill $kpid 2>/dev/null; kill $xpid 2>/dev/null' EXIT
sleep 4
shot() { import -window root "$out/$1.png"; echo "$out/$1.png"; }
tap() { xdotool mousemove "$1" "$2" click 1; sleep "${3:-0.6}"; }
# the logo: long press
xdotool mousemove 40 40 mousedown 1; sleep 3.4; xdotool mouseup 1; sleep 0.8
xdotool type --delay 40 "demo"; xdotool key Return; sleep 0.3
xdotool type --delay 40 "demo passphrase"; xdotool key Return
sleep 1.5
shot staff-queue
tap 640 ${ROW_Y:-170} 1           # the first row
shot staff-session
tap ${ANSWERS_X:-240} ${TABS_Y:-191} 0.8
shot staff-answers
tap 75 ${QUEUE_Y:-50} 0.8   # back to the queue
tap ${ALLDATES_X:-592} ${FILTER_Y:-122} 1.5
shot staff-all-dates
