#!/usr/bin/env bash
# The document generator's benchmark of bench/README.md. Run from the repository root after a
# build:
#   bench/docgen_bench.sh [BUILD_DIR] [PER_KIND] [SEED]
# 1. generates the large set (PER_KIND documents of each of the 8 kinds, default 12, in all 5
#    renditions) into BUILD_DIR/bench-docgen and times it;
# 2. reads every image of it with the core's OCR pool (2 engines) and reports per rendition the
#    share of each page's words read (against the page's own PDF), of field values read as
#    printed, the error of the measured skew and the time per page.
set -euo pipefail
build=$(realpath "${1:-build}")
per_kind=${2:-12}
seed=${3:-2026}
out="$build/bench-docgen"
cmake --build "$build" --target docgen_read_bench >/dev/null  # bench/ tools are built on demand
rm -rf "$out"

echo "machine: $(nproc) cores, $(chromium --version 2>/dev/null | head -1), $(convert-im6.q16 -version | head -1 | cut -d' ' -f2-3)"
start=$(date +%s%3N)
python3 tools/docgen/docgen.py --out "$out" --seed "$seed" --per-kind "$per_kind" --jobs "$(nproc)" 2> "$out.log" ||
  { tail -5 "$out.log"; exit 1; }
ms=$(( $(date +%s%3N) - start ))
documents=$(( per_kind * 8 ))
samples=$(ls "$out"/*.json | wc -l)
echo "generation: $documents documents, $samples samples in $(( ms / 1000 )) s" \
     "($(awk -v m="$ms" -v d="$documents" 'BEGIN {printf "%.1f", m / d / 1000}') s per document, all renditions)," \
     "$(du -sm "$out" | cut -f1) MiB"
for r in pdf clean scan300 scan200 photo; do
  echo "  $r: $(ls "$out"/*-"$r".* | grep -v '\.json$' | xargs du -cb | tail -1 | awk -v n="$documents" '{printf "%.0f KiB per page", $1 / n / 1024}')"
done
echo
OMP_THREAD_LIMIT=1 "$build/bench/docgen_read_bench" "$out" 2 2>/dev/null
