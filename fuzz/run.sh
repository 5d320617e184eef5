#!/usr/bin/env bash
# Runs one fuzz target for SECONDS on a working copy of its seed corpus (fuzz/README.md).
#   fuzz/run.sh TARGET SECONDS [BUILD_DIR]     TARGET: image pdf multipart json letter twoddoc
# A crash leaves crash-* (the input) in BUILD_DIR/fuzz-runs/TARGET; the run's log is beside it.
set -euo pipefail
target=$1
seconds=$2
build=${3:-build-fuzz}
source=$(cd "$(dirname "$0")" && pwd)
case "$target" in
  image) seeds=$source/corpus-image; options=(-max_len=65536 -rss_limit_mb=4096) ;;
  pdf) seeds=$source/corpus-pdf; options=(-max_len=16384 -rss_limit_mb=4096) ;;
  multipart) seeds=$source/corpus-multipart; options=(-max_len=8192) ;;
  json) seeds=$source/corpus-json; options=(-max_len=8192) ;;
  letter) seeds=$source/corpus-letter; options=(-max_len=16384) ;;
  twoddoc) seeds=$source/corpus; options=(-max_len=4096 -dict=$source/twoddoc.dict) ;;
  *) echo "unknown target $target" >&2; exit 2 ;;
esac
work=$build/fuzz-runs/$target
mkdir -p "$work/corpus"
cp -n "$seeds"/* "$work/corpus/" 2>/dev/null || true
cd "$work"
LSAN_OPTIONS=suppressions=$source/../tests/lsan.supp OMP_THREAD_LIMIT=1 "../../fuzz/fuzz_$target" -max_total_time="$seconds" -timeout=30 -print_final_stats=1 \
  "${options[@]}" corpus 2>&1 | tee run.log | grep -E "^#[0-9]+.*(pulse|DONE)|ERROR|SUMMARY|stat::" || true
! ls crash-* leak-* timeout-* oom-* >/dev/null 2>&1
