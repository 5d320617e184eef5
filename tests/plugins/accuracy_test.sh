#!/usr/bin/env bash
# Accuracy floors of the EDF and DGFiP plugins, on a small set freshly made by tools/docgen
# (clean pages and 300 dpi desk scans, with unrelated documents that must not be claimed),
# read for real (Tesseract) and measured by `comptoir plugin-check --min`.
#   accuracy_test.sh BUILD_DIR SOURCE_DIR MIN
set -euo pipefail
build=$(realpath "$1")
source=$(realpath "$2")
min=$3
out="$build/tests/plugins-accuracy"
rm -rf "$out"
mkdir -p "$out"
python3 "$source/tools/docgen/docgen.py" --out "$out/set" --seed 31 --per-kind 2 --jobs 2 \
  --kinds edf.facture,impots.avis_ir,autre.eau,autre.lettre --renditions clean,scan300
printf 'plugins.dir = %s/plugins\nocr.engines = 2\n' "$build" > "$out/test.properties"
exec "$build/comptoir" plugin-check --config "$out/test.properties" --min "$min" "$out/set"
