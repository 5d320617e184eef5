#!/usr/bin/env bash
# The letter benchmark of bench/README.md. From the repository root, after a build:
#   bench/letter_bench.sh [BUILD_DIR]
set -euo pipefail
build=$(realpath "${1:-build}")
cmake --build "$build" --target letter_bench >/dev/null  # bench/ tools are built on demand
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$build/demo/make_french_pages" "$work/page.pdf" 1 3
pdftoppm -r 300 -gray -png -singlefile "$work/page.pdf" "$work/annex" 2>/dev/null   # A4 at 300 dpi
"$build/bench/letter_bench" templates "${RUNS:-101}" "$work/annex.png"
