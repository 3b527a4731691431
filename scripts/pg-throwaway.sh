#!/usr/bin/env bash
# A throwaway PostgreSQL 15 + PostGIS cluster on loopback, for tests and benchmarks.
#   scripts/pg-throwaway.sh start [PORT]   starts a fresh cluster, prints the DATABASE_URL of a database with PostGIS
#   scripts/pg-throwaway.sh stop [PORT]    stops it and removes its folder
# PostgreSQL refuses to run as root, so the server runs as the 'postgres' system user.
set -euo pipefail
cmd=${1:-start}; port=${2:-55432}
dir=${TMPDIR:-/tmp}/parkatlas-pg-$port
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
[ -n "$bin" ] || { echo "PostgreSQL is not installed (apt-get install postgresql-15-postgis-3)" >&2; exit 1; }
as_postgres() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
case $cmd in
  start)
    if [ "$(id -u)" = 0 ]; then id postgres >/dev/null 2>&1 || useradd --system --no-create-home postgres; fi
    if [ -f "$dir/data/postmaster.pid" ]; then as_postgres "$bin/pg_ctl" -D "$dir/data" -m fast stop >&2 || true; fi
    rm -rf "$dir"; mkdir -p "$dir"
    if [ "$(id -u)" = 0 ]; then chown postgres "$dir"; fi
    as_postgres "$bin/initdb" -D "$dir/data" -A trust -U postgres -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1
    as_postgres "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w \
      -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off -c jit=off -c max_connections=200" start >&2
    psql -h 127.0.0.1 -p "$port" -U postgres -qc "CREATE DATABASE parkatlas" >&2
    psql -h 127.0.0.1 -p "$port" -U postgres -d parkatlas -qc "CREATE EXTENSION postgis" >&2
    echo "postgres://postgres@127.0.0.1:$port/parkatlas"
    ;;
  stop)
    if [ -d "$dir/data" ]; then as_postgres "$bin/pg_ctl" -D "$dir/data" -m fast stop >&2 || true; fi
    rm -rf "$dir"
    ;;
  *) echo "usage: $0 start|stop [PORT]" >&2; exit 2 ;;
esac
