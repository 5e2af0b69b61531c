#!/usr/bin/env bash
# deps.sh PACKAGE...: install the Debian/Ubuntu packages that are missing,
# with sudo when not root. Does nothing when all are installed.
set -euo pipefail
command -v dpkg-query >/dev/null || {
  echo "deps: not a Debian/Ubuntu system; install the equivalents of: $*" >&2
  exit 0
}
missing=()
for p in "$@"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
echo "deps: installing ${missing[*]}" >&2
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
