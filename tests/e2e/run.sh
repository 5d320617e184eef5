#!/usr/bin/env bash
# The end-to-end test of the mediator's desk (desk.test.js): installs playwright-core from the
# npm registry into the build folder (pinned by package-lock.json; nothing else: the browser is
# Debian's chromium), then drives the desk. Screenshots and PDFs go to BUILD_DIR/e2e-artefacts.
#   tests/e2e/run.sh BUILD_DIR SOURCE_DIR
set -euo pipefail
build=$(realpath "$1")
source=$(realpath "$2")
work="$build/e2e"
mkdir -p "$work"
cp "$source/tests/e2e/package.json" "$source/tests/e2e/package-lock.json" "$work/"
if ! cmp -s "$work/package-lock.json" "$work/node_modules/.package-lock.json" 2>/dev/null; then
  (cd "$work" && npm ci --no-audit --no-fund --loglevel=error)
fi
rm -rf "$build/e2e-artefacts"
NODE_PATH="$work/node_modules" node "$source/tests/e2e/desk.test.js" "$build" "$source" "$build/e2e-artefacts"
