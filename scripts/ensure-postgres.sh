#!/usr/bin/env bash
# Make sure a PostgreSQL server answers on 127.0.0.1:5432 and has the `paizhu` role (password `paizhu`,
# CREATEDB) the tests use: start an installed but stopped cluster, install one if there is none.
set -euo pipefail
PGHOST=127.0.0.1
PGPORT=${PAIZHU_TEST_PG_PORT:-5432}

as_postgres() {
  if [ "$(id -u)" = "0" ] && id postgres >/dev/null 2>&1; then
    su postgres -c "psql -v ON_ERROR_STOP=1 -qtAc \"$1\""
  else
    psql -h "$PGHOST" -p "$PGPORT" -U postgres -d postgres -v ON_ERROR_STOP=1 -qtAc "$1"
  fi
}

ready() { command -v pg_isready >/dev/null 2>&1 && pg_isready -h "$PGHOST" -p "$PGPORT" -q; }

if ! ready; then
  if ! ls /etc/postgresql/*/main >/dev/null 2>&1; then
    echo "PostgreSQL is not installed: installing it from the system packages" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >/dev/null
    apt-get install -y -qq postgresql >/dev/null
  fi
  version=$(ls /etc/postgresql | sort -V | tail -n 1)
  echo "starting PostgreSQL $version" >&2
  pg_ctlcluster --skip-systemctl-redirect "$version" main start || pg_ctlcluster "$version" main start
  for _ in $(seq 1 60); do ready && break; sleep 0.5; done
  ready || { echo "PostgreSQL did not start" >&2; exit 1; }
fi

# the distributed and reliability tests run every service, relay and projector as a process, each with its
# pool and its single-instance lock: the default 100 connections run out, so a cluster this script may restart
# gets more (PAIZHU_TEST_PG_MAX_CONNECTIONS, default 300)
want=${PAIZHU_TEST_PG_MAX_CONNECTIONS:-300}
have=$(as_postgres "SHOW max_connections" || echo 0)
if [ "${have:-0}" -lt "$want" ]; then
  if [ "$(id -u)" = "0" ] && command -v pg_ctlcluster >/dev/null 2>&1 && ls /etc/postgresql/*/main >/dev/null 2>&1; then
    echo "raising PostgreSQL max_connections from $have to $want" >&2
    as_postgres "ALTER SYSTEM SET max_connections = $want"
    version=$(ls /etc/postgresql | sort -V | tail -n 1)
    pg_ctlcluster --skip-systemctl-redirect "$version" main restart || pg_ctlcluster "$version" main restart
    for _ in $(seq 1 60); do ready && break; sleep 0.5; done
    ready || { echo "PostgreSQL did not come back after the restart" >&2; exit 1; }
  else
    echo "warning: PostgreSQL allows $have connections (the distributed tests want $want); raise max_connections" >&2
  fi
fi

exists=$(as_postgres "SELECT 1 FROM pg_roles WHERE rolname = 'paizhu'" || true)
if [ "$exists" != "1" ]; then
  as_postgres "CREATE ROLE paizhu LOGIN PASSWORD 'paizhu' CREATEDB"
fi
db=$(as_postgres "SELECT 1 FROM pg_database WHERE datname = 'paizhu_test'" || true)
if [ "$db" != "1" ]; then
  as_postgres "CREATE DATABASE paizhu_test OWNER paizhu"
fi
echo "PostgreSQL ready on $PGHOST:$PGPORT (role paizhu)" >&2
