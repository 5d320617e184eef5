#!/usr/bin/env bash
# The tests' PostgreSQL started from a folder the postgres user cannot enter (issue 25: a clone
# in /root, mode 0700 on Debian). In a folder of mode 0700 made here, and from it, server.sh
# starts a server whose pointer folder is inside it; the server must answer, live outside it
# in a folder of its own, and that folder must be gone after stop.
# Usage: server_test.sh   (from any folder the caller can write in: ctest's working folder)
set -euo pipefail
server=$(cd "$(dirname "$0")" && pwd)/server.sh
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)

private=$(mktemp -d "$PWD/private-folder.XXXXXX")
chmod 0700 "$private"
cleanup() {
  "$server" stop "$private/pointer" >/dev/null 2>&1 || true
  rm -rf "$private"
}
trap cleanup EXIT
fail() {
  echo "FAIL: $*" >&2
  exit 1
}
cd "$private"

# The situation of the issue, or the test proves nothing: as root, postgres cannot enter here.
if [ "$(id -u)" = 0 ] && runuser -u postgres -- test -x "$private" 2>/dev/null; then
  fail "the postgres user can enter $private"
fi

"$server" start "$private/pointer" >/dev/null
[ -f pointer/server-dir ] || fail "start left no pointer/server-dir"
srv=$(cat pointer/server-dir)
[ -d "$srv" ] || fail "the server's folder $srv does not exist"
case "$srv" in "$private"/*) fail "the server's folder $srv is inside the private folder" ;; esac
if [ "$(id -u)" = 0 ]; then
  [ "$(stat -c %U "$srv")" = postgres ] || fail "$srv is owned by $(stat -c %U "$srv"), not postgres"
fi

answer=$("$bin/psql" "$(cat pointer/conninfo)" -X -A -t -q -c 'SELECT 1')
[ "$answer" = 1 ] || fail "SELECT 1 answered '$answer'"

"$server" stop "$private/pointer"
[ ! -e "$srv" ] || fail "the server's folder $srv is still there after stop"
[ ! -e pointer/conninfo ] || fail "stop left pointer/conninfo behind"

echo "PostgreSQL started from a folder of mode 0700: answered SELECT 1 from $srv, which stop removed"
