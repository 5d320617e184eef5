#!/usr/bin/env bash
# The partner plugins' accuracy of bench/README.md, on a freshly generated set. Run from the
# repository root after a build:
#   bench/plugins_bench.sh [BUILD_DIR] [PER_KIND] [SEED] [KINDS]
# Generates PER_KIND documents (default 8) of each kind of KINDS (default: the EDF and tax
# kinds, the CAF debt letter and three unrelated documents) in four renditions, reads each
# rendition once with `comptoir process --ocr-out` (the readings are kept in
# BUILD_DIR/bench-plugins/RENDITION/, so that `comptoir plugin-check` can be run again on them
# in a second after a plugin change), then runs `comptoir plugin-check` with every built
# plugin on each rendition: classification per kind, fields exact after normalisation per
# field, every miss. Then the time each stage took per page, from `comptoir process --json`:
# prepare and OCR per rendition, and `extract` (recognition by every plugin + extraction).
set -euo pipefail
build=$(realpath "${1:-build}")
per_kind=${2:-8}
seed=${3:-2027}
kinds=${4:-edf.facture,impots.avis_ir,caf.indu,autre.facture,autre.ticket,autre.lettre}
work="$build/bench-plugins"
rm -rf "$work"
mkdir -p "$work"
printf 'plugins.dir = %s/plugins\nocr.engines = 2\n' "$build" > "$work/bench.properties"

python3 tools/docgen/docgen.py --out "$work/all" --seed "$seed" --per-kind "$per_kind" --kinds "$kinds" \
  --renditions clean,scan300,scan200,photo 2> "$work/docgen.log" || { tail -3 "$work/docgen.log"; exit 1; }
echo "set: seed $seed, $per_kind per kind of $kinds"
for r in clean scan300 scan200 photo; do
  mkdir -p "$work/$r"
  "$build/comptoir" process --config "$work/bench.properties" --json --ocr-out "$work/$r" \
    "$work"/all/*-"$r".png "$work"/all/*-"$r".jpg 2>/dev/null > "$work/$r.jsonl" || true
  for f in "$work"/all/*-"$r".json; do ln -s "$f" "$work/$r/"; done
  echo
  echo "=== $r"
  "$build/comptoir" plugin-check --config "$work/bench.properties" "$work/$r" || true
done
echo
echo "=== time per page, ms (median / max)"
for r in clean scan300 scan200 photo; do
  python3 - "$r" "$work/$r.jsonl" <<'PY'
import json, sys
name, path = sys.argv[1], sys.argv[2]
stages = {"prepare": [], "ocr": [], "extract": []}
for line in open(path):
    t = json.loads(line).get("timings_ms", {})
    for s in stages:
        if s in t:
            stages[s].append(t[s])
def fmt(v):
    v = sorted(v)
    return f"{v[len(v)//2]:.0f} / {v[-1]:.0f}" if v else "-"
def fmt2(v):
    v = sorted(v)
    return f"{v[len(v)//2]:.2f} / {v[-1]:.2f}" if v else "-"
print(f"{name}: prepare {fmt(stages['prepare'])}, ocr {fmt(stages['ocr'])}, extract {fmt2(stages['extract'])} "
      f"over {len(stages['extract'])} pages")
PY
done
