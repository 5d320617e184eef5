#!/usr/bin/env bash
# An eSCL (AirScan) network scanner: escl_server.py plays the scanner over HTTP on 127.0.0.1,
# the real sane-airscan backend talks to it, comptoir drives sane-airscan like any SANE backend.
# Checks: the station is listed as ready; a page scans, pixel for pixel the emulator's page, at
# the station's resolution and mode; a scanner switched off in the middle of a page, one gone
# altogether and one that hangs mid-page are each a French message, exit 1 and no image.
# Usage: escl_test.sh COMPTOIR_BINARY      (needs python3, sane-airscan, ImageMagick)
#
# sane-airscan reads SANE_CONFIG_DIR's airscan.conf and then, always, /etc/sane.d/airscan.conf
# and airscan.d/*: this test's device is added to the system's, and a system configuration that
# sets "discovery = enable" without an avahi-daemon running makes airscan list nothing at all.
set -euo pipefail
comptoir=$1
here=$(cd "$(dirname "$0")" && pwd)

work=$(mktemp -d)
server_pid=""
stop_server() {
  if [ -n "$server_pid" ]; then
    kill -9 "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
    server_pid=""
  fi
}
cleanup() {
  stop_server
  rm -rf "$work"
}
trap cleanup EXIT

fail() {
  echo "escl_test: $*" >&2
  for log in "$work"/*.log; do
    [ -e "$log" ] || continue
    echo "--- $(basename "$log")" >&2
    tail -n 20 "$log" >&2
  done
  exit 1
}

# The page the scanner "sees": an A4 sheet at 150 dpi, 8-bit gray, some dark blocks on it
# (shapes rather than text: no font needed).
convert -size 1240x1754 xc:white -fill black \
  -draw 'rectangle 100,150 900,210' -draw 'rectangle 100,300 1100,320' \
  -draw 'rectangle 100,360 1000,380' -draw 'rectangle 100,1500 500,1650' \
  -type Grayscale -depth 8 "$work/source.png"

# SANE as the Comptoir server would have it: only the airscan backend.
mkdir -p "$work/sane"
printf 'airscan\n' > "$work/sane/dll.conf"

# Starts the emulator (extra options in "$@"), waits (bounded) for the port it prints, and
# points airscan.conf at it. airscan reads its configuration at each sane_init: each comptoir
# run sees the current port.
start_server() {
  local name=$1
  shift
  : > "$work/$name.port"
  python3 "$here/escl_server.py" --port 0 --image "$work/source.png" "$@" \
    > "$work/$name.port" 2> "$work/$name.log" &
  server_pid=$!
  local port=""
  for _ in $(seq 300); do
    # A whole line only: the port, and its newline.
    if [ "$(wc -l < "$work/$name.port")" -ge 1 ]; then
      port=$(head -n 1 "$work/$name.port")
      break
    fi
    kill -0 "$server_pid" 2>/dev/null || fail "the eSCL emulator did not start"
    sleep 0.1
  done
  [[ "$port" =~ ^[0-9]+$ ]] || fail "the eSCL emulator printed no port within 30 s"
  cat > "$work/sane/airscan.conf" <<CONF
[devices]
"Comptoir eSCL" = http://127.0.0.1:$port/eSCL, eSCL

[options]
discovery = disable
CONF
}

cat > "$work/comptoir.properties" <<PROPS
scanners.config_dir = sane
scanners.timeout_s = 10
stations.escl.label = Guichet eSCL
stations.escl.match = *Comptoir eSCL*
stations.escl.resolution = 150
stations.escl.mode = Gray
PROPS

# Every comptoir run is bounded: a hang is a failure, not a test that waits for ctest's timeout.
run_comptoir() {
  timeout 60 "$comptoir" "$@" --config "$work/comptoir.properties"
}

# Expects a failed scan: exit 1, one of the French messages given (extended regex), no image.
expect_failed_scan() {
  local what=$1 pattern=$2 output=$3
  local status=0
  run_comptoir scan --station escl -o "$work/$output" > "$work/$output.out" 2> "$work/$output.err" || status=$?
  cat "$work/$output.out" "$work/$output.err"
  [ "$status" -eq 1 ] || fail "$what: expected exit status 1, got $status"
  grep -Eq "$pattern" "$work/$output.err" || fail "$what: no French message matching « $pattern »"
  if [ -e "$work/$output" ]; then fail "$what: a partial page was written"; fi
}

# 1. The station is found and ready.
start_server escl
run_comptoir scanners > "$work/scanners.out" || { cat "$work/scanners.out"; fail "comptoir scanners failed"; }
cat "$work/scanners.out"
grep -Eq '^ *airscan:e[0-9]+:Comptoir eSCL ' "$work/scanners.out" || fail "the eSCL device is not listed"
grep -Eq '^ *escl .*: prêt, scanner airscan:e[0-9]+:Comptoir eSCL ' "$work/scanners.out" ||
  fail "the station escl is not ready"

# 2. A page: the emulator's, pixel for pixel (PNG both ways), at what the station asked.
run_comptoir scan --station escl -o "$work/page.png"
test -s "$work/page.png" || fail "no page written"
size=$(identify -format '%wx%h' "$work/page.png")
[ "$size" = "1240x1754" ] || fail "page of $size, expected 1240x1754 (A4 at 150 dpi)"
compare -metric AE "$work/source.png" "$work/page.png" null: 2> "$work/compare.out" ||
  fail "the scanned page differs from the scanner's ($(cat "$work/compare.out") pixels)"
grep -q '<scan:ColorMode>Grayscale8</scan:ColorMode>' "$work/escl.log" || fail "the job did not ask for Grayscale8"
grep -q '<scan:XResolution>150</scan:XResolution>' "$work/escl.log" || fail "the job did not ask for 150 dpi"
grep -q '"DELETE /eSCL/ScanJobs/1 ' "$work/escl.log" || fail "the job was not deleted after the page"
stop_server

# 3. The scanner is switched off in the middle of the page: 4000 bytes of it arrive, then the
#    connection is cut and nothing answers any more.
start_server lost --fail-after-bytes 4000
expect_failed_scan "scanner switched off mid-page" "ne répond plus|cessé d'envoyer" lost.png
grep -q 'connection cut after 4000 bytes' "$work/lost.log" || fail "the emulator did not cut the page"

# 4. The scanner stays off: the next scan says so.
for _ in $(seq 100); do
  kill -0 "$server_pid" 2>/dev/null || break
  sleep 0.1
done
stop_server
expect_failed_scan "scanner off" "introuvable|ne répond plus" off.png

# 5. A scanner that hangs mid-page, the connection open: after scanners.timeout_s without data,
#    the mediator is told the scanner stopped sending.
start_server hung --hang-after-bytes 4000
sed -i 's/^scanners.timeout_s = .*/scanners.timeout_s = 2/' "$work/comptoir.properties"
expect_failed_scan "scanner hung mid-page" "cessé d'envoyer" hung.png
stop_server

echo "eSCL scanner through sane-airscan: listed, scanned; switched off, gone and hung reported in French"
