#!/usr/bin/env bash
# screenshots.sh [OUTDIR]: screenshots of the patient screens in a real
# window under Xvfb, full screen at 1280x800 and 1920x1080: welcome,
# privacy notice, keyboard, date of birth, a question, the crisis screen,
# the idle prompt. Needs ../shared/tools/shoot (or SHOOT=path).
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-out}
shoot=${SHOOT:-../shared/tools/shoot}
mkdir -p "$out"
[ -x bin/kiosk ] || go build -o bin/kiosk ./cmd/kiosk
[ -x bin/kioskctl ] || go build -o bin/kioskctl ./cmd/kioskctl
for size in 1280x800 1920x1080; do
  w=${size%x*} h=${size#*x}
  dir=$(mktemp -d)
  db=$dir/kiosk.db
  # a set-up database with a short idle time
  export KIOSK_NEW_PASSPHRASE="screenshot passphrase" KIOSK_PASSPHRASE="screenshot passphrase" KIOSK_STAFF=shots
  ./bin/kioskctl --db "$db" init --admin shots >/dev/null
  ./bin/kioskctl --db "$db" settings set idle_seconds 12
  ./bin/kioskctl --db "$db" settings set clinic_name "Esperanza Recovery Clinic"
  start_y=$(( (97 + h) / 2 + 145 )) next_x=$(( w - 110 )) next_y=$(( h - 40 )) help_x=$(( w - 130 ))
  cat >"$dir/steps" <<STEPS
click $((w / 2)) $start_y
sleep 0.5
shot $size-consent
click $next_x $next_y
sleep 0.5
type Ana
sleep 0.3
shot $size-keyboard
key Return
sleep 0.4
type Núñez
key Return
sleep 0.4
type 03071985
sleep 0.3
shot $size-birth
click $next_x $next_y
sleep 0.5
shot $size-question
click $help_x 48
sleep 0.5
shot $size-crisis
click 110 $next_y
sleep 14
shot $size-idle
STEPS
  "$shoot" -s "$size" -a "$dir/steps" "$out/$size-welcome.png" -- ./bin/kiosk --db "$db" --fullscreen --theme light >/dev/null
  rm -rf "$dir"
done
ls "$out"/*.png
