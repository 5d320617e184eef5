#!/usr/bin/env bash
# The scanning benchmark of bench/README.md. From the repository root, after a build:
#   bench/scan_bench.sh [BUILD_DIR]
# On the SANE pnm backend (the demo's kind of station) with an A4 page at 300 dpi:
#   1. time to scan it with `comptoir scan` against `scanimage` on the same device and options,
#      both writing a PNG, runs alternated (median of RUNS each);
#   2. memory: peak resident memory of `comptoir scan` for that page against `comptoir scanners`
#      (same process, no page), and the size of the page held in memory.
set -euo pipefail
build=$(realpath "${1:-build}")
runs=${RUNS:-9}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

"$build/demo/make_french_pages" "$work/page.pdf" 1 11
pdftoppm -r 300 -gray -singlefile "$work/page.pdf" "$work/page" 2>/dev/null   # page.pgm, 2480 × 3508
mkdir -p "$work/sane"
printf 'pnm\n' > "$work/sane/dll.conf"
cat > "$work/bench.properties" <<PROPS
scanners.config_dir = sane
stations.a4.device = pnm:0
stations.a4.resolution = 300
stations.a4.mode =
stations.a4.options.filename = $work/page.pgm
PROPS

now_ns() { date +%s%N; }
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
: > "$work/comptoir.txt"
: > "$work/scanimage.txt"
for _ in $(seq "$runs"); do
  start=$(now_ns)
  "$build/comptoir" scan --config "$work/bench.properties" --station a4 -o "$work/c.png" >/dev/null
  echo $(( ($(now_ns) - start) / 1000000 )) >> "$work/comptoir.txt"
  start=$(now_ns)
  SANE_CONFIG_DIR="$work/sane" scanimage -d pnm:0 --filename "$work/page.pgm" --resolution 300 --format=png \
    -o "$work/s.png" 2>/dev/null
  echo $(( ($(now_ns) - start) / 1000000 )) >> "$work/scanimage.txt"
done
c=$(median < "$work/comptoir.txt")
s=$(median < "$work/scanimage.txt")
echo "machine: $(nproc) cores; page 2480 x 3508 gray, pnm backend; $runs runs each, alternated"
echo "scan: comptoir median ${c} ms, scanimage median ${s} ms, ratio $(awk -v a="$c" -v b="$s" 'BEGIN {printf "%.2f", a / b}') (target <= 1.1)"

/usr/bin/time -f "%M" -o "$work/rss-scan.txt" "$build/comptoir" scan --config "$work/bench.properties" --station a4 -o "$work/c.png" >/dev/null
/usr/bin/time -f "%M" -o "$work/rss-base.txt" "$build/comptoir" scanners --config "$work/bench.properties" >/dev/null
scan_kib=$(cat "$work/rss-scan.txt")
base_kib=$(cat "$work/rss-base.txt")
echo "memory: peak of comptoir scan $((scan_kib / 1024)) MiB, without a page $((base_kib / 1024)) MiB: $(((scan_kib - base_kib) / 1024)) MiB for the page while it is read"
echo "memory: the page held once scanned (8-bit gray Pix): $((2480 * 3508 / 1048576)) MiB"
