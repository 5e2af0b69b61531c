#!/usr/bin/env bash
# cups-test-printer.sh: start CUPS if it is not running and add a cups-pdf
# virtual printer "KioskPDF" for the printer tests (KIOSK_TEST_PRINTER).
# Run by .ci/run; needs root or sudo.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh cups cups-client printer-driver-cups-pdf poppler-utils
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
if ! lpstat -r 2>/dev/null | grep -q "is running"; then
  $sudo cupsd
  for _ in $(seq 50); do lpstat -r 2>/dev/null | grep -q "is running" && break; sleep 0.1; done
fi
if ! lpstat -p KioskPDF >/dev/null 2>&1; then
  $sudo lpadmin -p KioskPDF -E -v cups-pdf:/ -m lsb/usr/cups-pdf/CUPS-PDF_noopt.ppd 2>/dev/null
fi
lpstat -p KioskPDF
