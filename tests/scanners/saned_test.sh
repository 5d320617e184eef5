#!/usr/bin/env bash
# A remote desk: saned serves the "test" backend, comptoir reaches it through SANE's "net"
# backend, both inside a network namespace of this test's own (the net backend only dials
# port 6566, so the test cannot pick a free port). Then saned is killed in the middle of a
# slow scan, as a desk PC switched off mid-page: comptoir must say so in French, exit 1, and
# write no image.
# Usage: saned_test.sh COMPTOIR_BINARY        (as root: unshare -n needs it)
set -euo pipefail
comptoir=$1
if [ -z "${COMPTOIR_IN_NETNS:-}" ]; then
  exec env COMPTOIR_IN_NETNS=1 unshare -n "$0" "$@"
fi
ip link set lo up

work=$(mktemp -d)
saned_pid=""
cleanup() {
  if [ -n "$saned_pid" ]; then
    pkill -9 -P "$saned_pid" 2>/dev/null || true
    kill -9 "$saned_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

# The remote machine's SANE: the test backend, and who may connect.
mkdir -p "$work/server" "$work/client"
printf 'test\n' > "$work/server/dll.conf"
cp "$(dirname "$0")/sane/test.conf" "$work/server/test.conf"
printf '127.0.0.1\nlocalhost\n::1\n' > "$work/server/saned.conf"
# The desk's SANE: only the net backend, pointing at the remote machine.
printf 'net\n' > "$work/client/dll.conf"
# An address, not "localhost": a minimal system may have no /etc/hosts to resolve it.
printf 'connect_timeout = 5\n127.0.0.1\n' > "$work/client/net.conf"

# Starts saned and waits (bounded) until the station's scanner shows up through the net backend.
start_saned() {
  SANE_CONFIG_DIR="$work/server" saned -l -e -b 127.0.0.1 > "$work/$1" 2>&1 &
  saned_pid=$!
  for _ in $(seq 100); do
    "$comptoir" scanners --config "$work/comptoir.properties" 2>/dev/null | grep -q "net:127.0.0.1:test:0" && return 0
    sleep 0.1
  done
}

# Waits (bounded) until the running scan ($scan_pid) has read 1 MiB, a quarter of the 4.4 MB
# page: the page is on its way. The bytes it has read, sockets included (the net backend
# read()s them), start at some 170 kB of its own files.
wait_for_scan_in_progress() {
  for _ in $(seq 200); do
    [ "$(awk '/^rchar:/ { print $2 }' "/proc/$scan_pid/io" 2>/dev/null || echo 0)" -ge 1048576 ] && return 0
    sleep 0.05
  done
  echo "the scan read no page from saned within 10 s" >&2
  exit 1
}

cat > "$work/comptoir.properties" <<PROPS
scanners.config_dir = client
scanners.timeout_s = 10
stations.distant.label = Bureau distant
stations.distant.match = *frontend-tester*
stations.distant.resolution = 100
stations.lent.label = Bureau distant, lent
stations.lent.device = net:127.0.0.1:test:0
stations.lent.resolution = 600
# 200 ms after each 64 KiB buffer: this 4.4 MB page would take some 14 s.
stations.lent.options.read-delay = yes
stations.lent.options.read-delay-duration = 200000
PROPS

start_saned saned.log
if ! "$comptoir" scanners --config "$work/comptoir.properties"; then
  echo "saned did not serve its scanner; its log:" >&2
  cat "$work/saned.log" >&2
  exit 1
fi

# 1. A page from the remote desk.
"$comptoir" scan --config "$work/comptoir.properties" --station distant -o "$work/page.png"
test -s "$work/page.png"

# 2. The remote desk disappears in the middle of a slow page.
set +e
"$comptoir" scan --config "$work/comptoir.properties" --station lent -o "$work/lost.png" > "$work/scan.out" 2> "$work/scan.err" &
scan_pid=$!
wait_for_scan_in_progress
pkill -9 -P "$saned_pid" 2>/dev/null
kill -9 "$saned_pid" 2>/dev/null
saned_pid=""
wait "$scan_pid"
status=$?
set -e
cat "$work/scan.out" "$work/scan.err"
if [ "$status" -ne 1 ]; then echo "expected exit status 1, got $status" >&2; exit 1; fi
grep -Eq "ne répond plus|cessé d'envoyer" "$work/scan.err"
if [ -e "$work/lost.png" ]; then echo "a partial page was written" >&2; exit 1; fi

# 3. A desk that hangs without hanging up (saned stopped, the connection open): after
#    scanners.timeout_s without data, the mediator is told the scanner stopped sending.
start_saned saned2.log
sed -i 's/^scanners.timeout_s = .*/scanners.timeout_s = 2/' "$work/comptoir.properties"
set +e
"$comptoir" scan --config "$work/comptoir.properties" --station lent -o "$work/hung.png" > /dev/null 2> "$work/hung.err" &
scan_pid=$!
wait_for_scan_in_progress
pkill -STOP -P "$saned_pid"
wait "$scan_pid"
status=$?
pkill -CONT -P "$saned_pid"
set -e
cat "$work/hung.err"
if [ "$status" -ne 1 ]; then echo "expected exit status 1 for a hung desk, got $status" >&2; exit 1; fi
grep -q "cessé d'envoyer" "$work/hung.err"
if [ -e "$work/hung.png" ]; then echo "a partial page was written" >&2; exit 1; fi
echo "remote scanner through saned: scanned; a lost desk and a hung desk reported in French"
