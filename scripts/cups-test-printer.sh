#!/usr/bin/env bash
# cups-test-printer.sh: start CUPS if it is not running and add a cups-pdf
# virtual printer "KioskPDF" for the printer tests; print its name on
# standard output (make test passes it on as KIOSK_TEST_PRINTER). It needs
# root or passwordless sudo: without either it says how to set the queue up
# and prints nothing, and the printer tests then skip (fail under CI).
set -euo pipefail
cd "$(dirname "$0")/.."
queue=KioskPDF
sudo=""
if [ "$(id -u)" -ne 0 ]; then
  if ! sudo -n true 2>/dev/null; then
    cat >&2 <<MSG
cups-test-printer: not root and no passwordless sudo, so no CUPS test queue.
  To run the printer tests: sudo scripts/cups-test-printer.sh, then
  KIOSK_TEST_PRINTER=$queue make test (cups-pdf writes to ~/PDF).
MSG
    exit 0
  fi
  sudo="sudo"
fi
scripts/deps.sh cups cups-client printer-driver-cups-pdf poppler-utils >&2
if ! lpstat -r 2>/dev/null | grep -q "is running"; then
  $sudo cupsd
  for _ in $(seq 100); do lpstat -r 2>/dev/null | grep -q "is running" && break; sleep 0.1; done
fi
if ! lpstat -p "$queue" >/dev/null 2>&1; then
  $sudo lpadmin -p "$queue" -E -v cups-pdf:/ -m lsb/usr/cups-pdf/CUPS-PDF_noopt.ppd 2>/dev/null
fi
lpstat -p "$queue" >&2
echo "$queue"
