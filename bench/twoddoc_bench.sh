#!/usr/bin/env bash
# The 2D-Doc figures of bench/README.md. Run from the repository root after a build:
#   bench/twoddoc_bench.sh [BUILD_DIR] [PER_KIND] [SEED]
# Generates PER_KIND (default 10) bills and tax notices carrying a code signed with the FR00
# test key, and as many CAF letters and unrelated documents without one, in four renditions;
# times the search page by page (build/bench/twoddoc_bench); then what the search adds to
# `comptoir process`: the `barcodes` stage of its timings, and the wall time of the set with
# the search (twoddoc.search_ms = 150) and without it (0).
set -euo pipefail
build=$(realpath "${1:-build}")
per_kind=${2:-10}
seed=${3:-2029}
work="$build/bench-2ddoc"
cmake --build "$build" --target twoddoc_bench >/dev/null  # bench/ tools are built on demand
rm -rf "$work"
mkdir -p "$work"
python3 tools/docgen/docgen.py --out "$work/set" --seed "$seed" --per-kind "$per_kind" \
  --kinds edf.facture,impots.avis_ir,caf.indu,autre.lettre --renditions clean,scan300,scan200,photo \
  --twoddoc-key tests/data/2ddoc/test_key.pem --twoddoc-encoder "$build/comptoir-2ddoc-encode" 2> "$work/docgen.log" \
  || { tail -3 "$work/docgen.log"; exit 1; }
echo "set: seed $seed, $per_kind per kind"
"$build/bench/twoddoc_bench" "$work/set" 5 | tee "$work/search.txt" | tail -7

echo
echo "=== what it adds to process (scan300 pages, 2 OCR engines)"
for ms in 150 0; do
  printf 'plugins.dir = %s/plugins\nocr.engines = 2\ntwoddoc.search_ms = %s\n' "$build" "$ms" > "$work/search-$ms.properties"
  start=$(date +%s.%N)
  "$build/comptoir" process --config "$work/search-$ms.properties" --json "$work"/set/*-scan300.jpg 2>/dev/null \
    > "$work/process-$ms.jsonl" || true
  end=$(date +%s.%N)
  python3 - "$ms" "$start" "$end" "$work/process-$ms.jsonl" <<'PY'
import json, sys
ms, start, end, path = sys.argv[1], float(sys.argv[2]), float(sys.argv[3]), sys.argv[4]
rows = [json.loads(l) for l in open(path)]
stage = sorted(r.get("timings_ms", {}).get("barcodes", 0.0) for r in rows)
valid = sum(1 for r in rows for b in r.get("barcodes", []) if b.get("status") == "valid")
two = sum(1 for r in rows for f in (r.get("fields") or {}).values() if f.get("source") == "2ddoc")
print(f"search_ms={ms}: {len(rows)} pages in {end - start:.1f} s wall; barcodes stage median "
      f"{stage[len(stage)//2]:.0f} ms, worst {stage[-1]:.0f} ms; {valid} valid codes, {two} fields from codes")
PY
done
