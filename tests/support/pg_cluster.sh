#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# A throwaway PostgreSQL cluster for the tests (docs/history.md, "PostgreSQL"), from Debian's
# `postgresql` package but independent of its clusters and of systemd: initdb in DIR, a server
# on 127.0.0.1 at a free port with its unix socket in DIR.
#
#   pg_cluster.sh start DIR        creates and starts it; prints its URL (also in DIR/url)
#   pg_cluster.sh stop DIR         stops it and removes DIR
#   pg_cluster.sh exec DIR CMD...  runs CMD with ASSURE_TEST_PG_URL (the URL) and
#                                  ASSURE_TEST_PG_BIN (the folder of psql, pg_dump) set; fails
#                                  when the cluster is not running
#
# Authentication: the superuser `assure` has a random password, required over TCP
# (scram-sha-256); the URL names no password but a password file (`?passfile=DIR/pgpass`, mode
# 0600), so it never shows in a command line. The unix socket trusts local connections; its
# folder is mode 0700 (only the cluster's owner and root reach it).
#
# PostgreSQL refuses to run as root: when this script runs as root, the server runs as the
# `postgres` system user that Debian's package creates, and DIR is owned by it. When DIR cannot
# be reached by that user (a checkout under /root) or its path is too long for a unix socket, the
# cluster lives in a fresh /tmp/assure-pg.XXXXXX folder that DIR/home names. ASSURE_PG_BIN may
# name the PostgreSQL bin folder (default: the newest /usr/lib/postgresql/*/bin).
#
# The server runs with fsync=off: the cluster is thrown away after the tests, and CREATE and DROP
# DATABASE (a fresh database per test history) would otherwise each wait for a checkpoint to
# reach the disk. What the tests check (transactions, locks, the chain) does not depend on it.
set -euo pipefail

die() {
  echo "pg_cluster.sh: $*" >&2
  exit 1
}

[ $# -ge 2 ] || die "usage: pg_cluster.sh start|stop DIR | exec DIR CMD..."
action=$1
dir=$2
shift 2

find_bin() {
  if [ -n "${ASSURE_PG_BIN:-}" ]; then
    echo "$ASSURE_PG_BIN"
    return
  fi
  local found
  found=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
  [ -n "$found" ] || die "no PostgreSQL server found in /usr/lib/postgresql/*/bin (install Debian's postgresql package: scripts/install-deps.sh)"
  echo "$found"
}

as_server=()
if [ "$(id -u)" -eq 0 ]; then
  getent passwd postgres >/dev/null || die "running as root, but there is no 'postgres' user to run the server as (Debian's postgresql package creates it)"
  as_server=(runuser -u postgres --)
fi

# The folder the cluster lives in: DIR, or the /tmp folder DIR/home names.
home_of() {
  if [ -f "$1/home" ]; then
    local home
    home=$(cat "$1/home")
    case "$home" in
      /tmp/assure-pg.*) echo "$home" ;;
      *) die "$1/home names $home, not a folder this script made" ;;
    esac
  else
    echo "$1"
  fi
}

stop_cluster() {
  local d=$1
  [ -e "$d" ] || return 0
  [ -d "$d" ] || die "$d is not a folder"
  if [ -n "$(ls -A "$d")" ] && [ ! -f "$d/url" ] && [ ! -f "$d/home" ] && [ ! -f "$d/data/PG_VERSION" ]; then
    die "$d is not a cluster this script made: not touching it"
  fi
  local home bin
  home=$(home_of "$d")
  if [ -f "$home/data/postmaster.pid" ]; then
    bin=$(find_bin)
    (cd / && "${as_server[@]}" "$bin/pg_ctl" -D "$home/data" -m fast -w -t 60 stop >/dev/null 2>&1) ||
      (cd / && "${as_server[@]}" "$bin/pg_ctl" -D "$home/data" -m immediate -w -t 60 stop >/dev/null 2>&1) || true
  fi
  [ "$home" = "$d" ] || rm -rf "$home"
  rm -rf "$d"
}

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

start_cluster() {
  local d=$1 bin home password port url log
  bin=$(find_bin)
  for tool in initdb pg_ctl psql; do
    [ -x "$bin/$tool" ] || die "$bin/$tool is missing"
  done
  stop_cluster "$d" # a cluster left over by an interrupted run
  mkdir -p "$d"
  d=$(cd "$d" && pwd)
  chmod 0700 "$d"
  home=$d
  if [ ${#as_server[@]} -gt 0 ]; then
    chown postgres: "$d"
  fi
  # The socket path (HOME/.s.PGSQL.PORT) must fit in 107 bytes.
  if [ ${#d} -gt 80 ] || ! (cd / && "${as_server[@]}" test -w "$d" -a -x "$d"); then
    home=$(mktemp -d /tmp/assure-pg.XXXXXX)
    chmod 0700 "$home"
    [ ${#as_server[@]} -eq 0 ] || chown postgres: "$home"
    echo "$home" >"$d/home"
  fi
  log=$home/server.log
  password=$(python3 -c 'import secrets; print(secrets.token_hex(16))')
  (umask 077 && echo "$password" >"$home/pwfile")
  [ ${#as_server[@]} -eq 0 ] || chown postgres: "$home/pwfile"
  if ! (cd / && "${as_server[@]}" "$bin/initdb" -D "$home/data" -U assure --pwfile="$home/pwfile" \
        --auth-local=trust --auth-host=scram-sha-256 --encoding=UTF8 --locale=C --no-sync \
        >"$home/initdb.log" 2>&1); then
    cat "$home/initdb.log" >&2
    die "initdb failed"
  fi
  rm -f "$home/pwfile"
  local started=0
  for _ in 1 2 3 4 5; do
    port=$(free_port)
    if (cd / && "${as_server[@]}" "$bin/pg_ctl" -D "$home/data" -l "$log" -w -t 60 \
          -o "-c listen_addresses=127.0.0.1 -c port=$port -c unix_socket_directories='$home' -c max_connections=50 -c fsync=off" \
          start >/dev/null 2>&1); then
      started=1
      break
    fi
    grep -q "could not bind\|could not create listen socket" "$log" 2>/dev/null || break
  done
  if [ $started -ne 1 ]; then
    tail -n 30 "$log" >&2 || true
    die "the PostgreSQL server did not start (log above)"
  fi
  (cd / && "$bin/psql" -X -q -h "$home" -p "$port" -U assure -d postgres -v ON_ERROR_STOP=1 \
      -c "CREATE DATABASE assure") >/dev/null || die "cannot create the database 'assure'"
  (umask 077 && echo "127.0.0.1:$port:*:assure:$password" >"$d/pgpass")
  url=$(python3 -c 'import sys, urllib.parse; print("postgresql://assure@127.0.0.1:%s/assure?passfile=%s" % (sys.argv[1], urllib.parse.quote(sys.argv[2], safe="/")))' "$port" "$d/pgpass")
  echo "$url" >"$d/url"
  echo "$bin" >"$d/bin"
  # The URL works over TCP with the password file (what every test does).
  (cd / && "$bin/psql" -X -q -d "$url" -c "SELECT 1") >/dev/null ||
    die "the server started but $url does not connect"
  echo "$url"
}

case "$action" in
  start)
    start_cluster "$dir"
    ;;
  stop)
    stop_cluster "$dir"
    ;;
  exec)
    [ $# -ge 1 ] || die "exec: no command"
    [ -f "$dir/url" ] || die "no PostgreSQL test cluster in $dir (the pg_cluster_start fixture failed or did not run)"
    home=$(home_of "$dir")
    [ -f "$home/data/postmaster.pid" ] || die "the PostgreSQL test cluster in $dir is not running"
    ASSURE_TEST_PG_URL=$(cat "$dir/url")
    ASSURE_TEST_PG_BIN=$(cat "$dir/bin")
    export ASSURE_TEST_PG_URL ASSURE_TEST_PG_BIN
    exec "$@"
    ;;
  *)
    die "unknown action $action (start, stop or exec)"
    ;;
esac
