#!/usr/bin/env bash
# A PostgreSQL server of the tests' own, from Debian's package: a fresh cluster on a free port,
# listening on its own socket folder only (no TCP), run as the postgres user when started as
# root (PostgreSQL refuses to run as root).
#   tests/postgres/server.sh start DIR     (prints the connection string)
#   tests/postgres/server.sh stop DIR
#
# DIR (the build folder's postgres-test) is only a pointer: DIR/conninfo is the libpq connection
# string the tests read, DIR/server-dir names the server's folder. The cluster, its socket and
# its logs live in that folder, made by `mktemp -d` under /tmp and owned by the user the server
# runs as: the postgres user may not be able to reach the build folder at all (a clone in /root,
# mode 0700, on Debian), and nothing here changes the modes of the user's folders. Every command
# run as postgres starts in that folder, with it as its HOME. stop stops the server, keeps a
# copy of its log as DIR/server.log and removes the folder.
set -euo pipefail
action=${1:-}
dir=${2:-}
[ -n "$dir" ] || { echo "usage: $0 start|stop DIR" >&2; exit 2; }
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
[ -x "$bin/initdb" ] || { echo "PostgreSQL is not installed (scripts/install-deps.sh installs it)" >&2; exit 1; }
root=false
[ "$(id -u)" = 0 ] && root=true

# Runs a command from the server's folder ($1), as postgres when we are root.
in_server_dir() {
  local where=$1
  shift
  if $root; then
    (cd "$where" && exec runuser -u postgres -- env HOME="$where" "$@")
  else
    (cd "$where" && exec "$@")
  fi
}

# Stops the server DIR points to, if any, and removes its folder and the pointers.
stop_server() {
  [ -f "$dir/server-dir" ] || return 0
  local srv
  srv=$(cat "$dir/server-dir")
  case "$(basename "$srv")" in
    comptoir-postgres.*) ;;
    *) echo "$dir/server-dir names $srv, not a folder of this script's: left alone" >&2; return 1 ;;
  esac
  if [ -d "$srv" ]; then
    if [ -f "$srv/data/postmaster.pid" ]; then
      in_server_dir "$srv" "$bin/pg_ctl" -D "$srv/data" -m fast -w -t 60 stop >/dev/null 2>&1 \
        || in_server_dir "$srv" "$bin/pg_ctl" -D "$srv/data" -m immediate -w -t 60 stop >/dev/null 2>&1 \
        || echo "the server in $srv did not stop" >&2
    fi
    if [ -f "$srv/server.log" ]; then cp "$srv/server.log" "$dir/server.log"; fi
    rm -rf "$srv"
  fi
  rm -f "$dir/server-dir" "$dir/conninfo"
}

# A start that failed: its log, then nothing left behind.
fail() {
  cat "$1" >&2
  stop_server
  exit 1
}

case "$action" in
  start)
    stop_server   # a server an interrupted run left behind
    rm -rf "$dir"
    mkdir -p "$dir"
    if $root; then
      # /tmp itself: a TMPDIR of root's may be private to root (pam_tmpdir's /tmp/user/0).
      srv=$(cd / && runuser -u postgres -- env -u TMPDIR mktemp -d -t comptoir-postgres.XXXXXXXX)
    else
      srv=$(mktemp -d -t comptoir-postgres.XXXXXXXX)
    fi
    echo "$srv" > "$dir/server-dir"
    in_server_dir "$srv" sh -c 'exec "$@" > initdb.log 2>&1' sh \
      "$bin/initdb" -D "$srv/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 \
      || fail "$srv/initdb.log"
    port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    in_server_dir "$srv" "$bin/pg_ctl" -D "$srv/data" -l "$srv/server.log" -w -t 60 \
      -o "-p $port -k $srv -c listen_addresses='' -c fsync=off -c max_connections=60" start >/dev/null \
      || fail "$srv/server.log"
    in_server_dir "$srv" "$bin/psql" -X -h "$srv" -p "$port" -U postgres -q -c "CREATE DATABASE comptoir_test" postgres \
      || fail "$srv/server.log"
    echo "host=$srv port=$port dbname=comptoir_test user=postgres" > "$dir/conninfo"
    cat "$dir/conninfo"
    ;;
  stop)
    stop_server
    ;;
  *)
    echo "usage: $0 start|stop DIR" >&2
    exit 2
    ;;
esac
