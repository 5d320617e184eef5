#!/usr/bin/env bash
# Accuracy floors of the partner plugins, on a small set freshly made by tools/docgen (with
# unrelated documents that must not be claimed), read for real (Tesseract) and measured by
# `comptoir plugin-check --min`.
#   accuracy_test.sh BUILD_DIR SOURCE_DIR MIN NAME RENDITIONS KINDS [DOCGEN OPTIONS…]
set -euo pipefail
build=$(realpath "$1")
source=$(realpath "$2")
min=$3
name=$4
renditions=$5
kinds=$6
shift 6
out="$build/tests/plugins-accuracy-$name"
# glibc's malloc on transparent huge pages: far fewer page faults on the pages' images (some 15 % of
# the reading's CPU time), the same reading (docgen gives it to its tools itself).
export GLIBC_TUNABLES="${GLIBC_TUNABLES:+$GLIBC_TUNABLES:}glibc.malloc.hugetlb=1"
rm -rf "$out"
mkdir -p "$out"
python3 "$source/tools/docgen/docgen.py" --out "$out/set" --seed 31 --per-kind 2 --jobs 2 \
  --kinds "$kinds" --renditions "$renditions" "$@"
printf 'plugins.dir = %s/plugins\nocr.engines = 2\n' "$build" > "$out/test.properties"
exec "$build/comptoir" plugin-check --config "$out/test.properties" --min "$min" "$out/set"
