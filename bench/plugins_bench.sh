#!/usr/bin/env bash
# The partner plugins' accuracy of bench/README.md, on a freshly generated set. Run from the
# repository root after a build:
#   bench/plugins_bench.sh [BUILD_DIR] [PER_KIND] [SEED] [KINDS]
# Generates PER_KIND documents (default 8) of each kind of KINDS (default: the EDF and tax
# kinds, the CAF debt letter and three unrelated documents) in four renditions, then runs
# `comptoir plugin-check` with every built plugin on each rendition: classification per kind,
# fields exact after normalisation per field, every miss; and the time `extract` took per page
# (recognition by every plugin + extraction), from `comptoir process --json`.
set -euo pipefail
build=$(realpath "${1:-build}")
per_kind=${2:-8}
seed=${3:-2027}
kinds=${4:-edf.facture,impots.avis_ir,caf.indu,autre.eau,autre.ticket,autre.lettre}
work="$build/bench-plugins"
rm -rf "$work"
mkdir -p "$work"
printf 'plugins.dir = %s/plugins\nocr.engines = 2\n' "$build" > "$work/bench.properties"

python3 tools/docgen/docgen.py --out "$work/all" --seed "$seed" --per-kind "$per_kind" --kinds "$kinds" \
  --renditions clean,scan300,scan200,photo 2> "$work/docgen.log" || { tail -3 "$work/docgen.log"; exit 1; }
echo "set: seed $seed, $per_kind per kind of $kinds"
for r in clean scan300 scan200 photo; do
  mkdir -p "$work/$r"
  for f in "$work"/all/*-"$r".*; do ln -s "$f" "$work/$r/"; done
  echo
  echo "=== $r"
  "$build/comptoir" plugin-check --config "$work/bench.properties" "$work/$r" || true
done
echo
echo "=== extract (recognition by every plugin + extraction), ms per page, clean pages"
"$build/comptoir" process --config "$work/bench.properties" --json "$work"/clean/*.png |
  python3 -c 'import json,sys; t=sorted(json.loads(l)["timings_ms"]["extract"] for l in sys.stdin); print(f"median {t[len(t)//2]:.2f} ms, max {t[-1]:.2f} ms over {len(t)} pages")'
