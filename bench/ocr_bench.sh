#!/usr/bin/env bash
# The OCR benchmark of bench/README.md. Run from the repository root after a build:
#   bench/ocr_bench.sh [BUILD_DIR]
# Makes 20 A4 pages of French text at 300 dpi, then measures in the same run:
#   1. per page: median of prepare + OCR in Comptoir's pool (one engine) against
#      `OMP_THREAD_LIMIT=1 tesseract page.png - -l fra` run as a process (median of the same
#      number of runs);
#   2. throughput: the 20 pages through `comptoir process` (2 engines) against the same 20
#      through sequential tesseract runs; and the peak memory of that comptoir process.
set -euo pipefail
build=$(realpath "${1:-build}")
cmake --build "$build" --target ocr_page_bench >/dev/null  # bench/ tools are built on demand
runs=${RUNS:-7}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

"$build/demo/make_french_pages" "$work/pages.pdf" 20 2026
pdftoppm -r 300 -gray -png "$work/pages.pdf" "$work/page" 2>/dev/null  # libharu's ToUnicode CMap upsets it
pdftotext -f 1 -l 1 "$work/pages.pdf" "$work/page-01.txt" 2>/dev/null
first="$work/page-01.png"

now_ms() { date +%s%3N; }

echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(tesseract --version 2>&1 | head -1)"

# 1. One page: the bench binary alternates a read in the pool and a tesseract process, run by
# run. It gets OMP_THREAD_LIMIT=1 as the comptoir binary gives itself.
pool=$(OMP_THREAD_LIMIT=1 "$build/bench/ocr_page_bench" "$first" "$runs" "$work/page-01.txt" \
  "OMP_THREAD_LIMIT=1 tesseract $first - -l fra >/dev/null 2>&1")
echo "per page ($runs runs, interleaved): $pool"
echo "per page: ratio (pool prepare+OCR / tesseract process) = $(echo "$pool" | sed 's/.*ratio=\([0-9.]*\).*/\1/') (target <= 1.0)"

# 2. Twenty pages.
printf 'ocr.engines = 2\nplugins.dir = %s/plugins\n' "$build" > "$work/bench.properties"
start=$(now_ms)
/usr/bin/time -f "%M" -o "$work/rss.txt" "$build/comptoir" process --config "$work/bench.properties" --json \
  "$work"/page-*.png > "$work/out.jsonl"
comptoir_ms=$(( $(now_ms) - start ))
errors=$(grep -c '"error"' "$work/out.jsonl" || true)
start=$(now_ms)
for page in "$work"/page-*.png; do OMP_THREAD_LIMIT=1 tesseract "$page" - -l fra >/dev/null 2>&1; done
tesseract_ms=$(( $(now_ms) - start ))
echo "20 pages: comptoir process (2 engines) ${comptoir_ms} ms, errors $errors; sequential tesseract ${tesseract_ms} ms"
echo "20 pages: throughput ratio = $(awk -v a="$tesseract_ms" -v b="$comptoir_ms" 'BEGIN {printf "%.2f", a / b}')x (target >= 1.8)"
echo "20 pages: peak memory of comptoir process with 2 engines = $(awk '{printf "%.0f MiB", $1/1024}' "$work/rss.txt")"
