#!/usr/bin/env bash
# Runs COMMAND... against a throw-away PostgreSQL cluster.
#
#   scripts/with-postgres.sh COMMAND [ARG...]
#
# initdb into a fresh temporary folder, start the server on a free port of
# 127.0.0.1 (unix socket inside the temporary folder, no other address),
# export ISOLOIR_TEST_PG (a libpq conninfo for the cluster's superuser, with a
# random password checked by scram-sha-256), run COMMAND, then stop the server
# and delete the folder on exit, whatever COMMAND's outcome. The exit status is
# COMMAND's.
#
# PostgreSQL refuses to run as root: under root the server runs as the
# `postgres` system user (ISOLOIR_PG_OSUSER to choose another one); COMMAND
# still runs as the caller. Environment knobs:
#   PG_BINDIR             folder of initdb/pg_ctl (default: newest /usr/lib/postgresql/*/bin)
#   ISOLOIR_PG_DURABLE=1  keep fsync on (default off: a test cluster loses nothing worth keeping)
#   ISOLOIR_PG_KEEP_LOG=1 print the server log on exit
#   ISOLOIR_PG_OPTIONS    more server options, e.g. "-c log_min_duration_statement=100"
set -euo pipefail

if (($# == 0)); then
  echo "usage: with-postgres.sh COMMAND [ARG...]" >&2
  exit 2
fi

bindir=${PG_BINDIR:-}
if [[ -z $bindir ]]; then
  for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V); do bindir=$d; done
fi
if [[ -z $bindir || ! -x $bindir/initdb ]]; then
  if command -v initdb >/dev/null 2>&1; then
    bindir=$(dirname "$(command -v initdb)")
  else
    echo "with-postgres: initdb not found (install postgresql or set PG_BINDIR)" >&2
    exit 1
  fi
fi

as_server=()
if [[ $(id -u) -eq 0 ]]; then
  osuser=${ISOLOIR_PG_OSUSER:-postgres}
  if ! id -u "$osuser" >/dev/null 2>&1; then
    echo "with-postgres: running as root needs the system user '$osuser' to run the server" >&2
    exit 1
  fi
  as_server=(runuser -u "$osuser" --)
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/isoloir-pg.XXXXXX")
if ((${#as_server[@]})); then chown "$osuser" "$tmp"; fi
chmod 700 "$tmp"
data=$tmp/data
started=0

cleanup() {
  local rc=$?
  if ((started)); then
    "${as_server[@]}" "$bindir/pg_ctl" -D "$data" -m immediate -w stop >/dev/null 2>&1 || true
  fi
  if [[ ${ISOLOIR_PG_KEEP_LOG:-0} == 1 && -f $tmp/server.log ]]; then
    echo "== PostgreSQL server log" >&2
    cat "$tmp/server.log" >&2
  fi
  rm -rf "$tmp"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

superuser=isoloir_admin
password=$(head -c 18 /dev/urandom | base64 | tr '+/' '-_')
printf '%s\n' "$password" >"$tmp/pwfile"
if ((${#as_server[@]})); then chown "$osuser" "$tmp/pwfile"; fi

"${as_server[@]}" "$bindir/initdb" -D "$data" -U "$superuser" --pwfile="$tmp/pwfile" \
  --auth-local=scram-sha-256 --auth-host=scram-sha-256 -E UTF8 --locale=C.UTF-8 \
  >"$tmp/initdb.log" 2>&1 || { cat "$tmp/initdb.log" >&2; exit 1; }
rm -f "$tmp/pwfile"

fsync=off
[[ ${ISOLOIR_PG_DURABLE:-0} == 1 ]] && fsync=on

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])' 2>/dev/null ||
    echo $((20000 + RANDOM % 20000))
}

for attempt in 1 2 3 4 5; do
  port=$(free_port)
  if "${as_server[@]}" "$bindir/pg_ctl" -D "$data" -l "$tmp/server.log" -w -t 60 \
    -o "-c listen_addresses=127.0.0.1 -p $port -k $tmp -c fsync=$fsync -c synchronous_commit=$fsync -c full_page_writes=$fsync -c max_connections=200 ${ISOLOIR_PG_OPTIONS:-}" \
    start >/dev/null 2>&1; then
    started=1
    break
  fi
  echo "with-postgres: could not start on port $port (attempt $attempt)" >&2
done
if ((!started)); then
  cat "$tmp/server.log" >&2 || true
  exit 1
fi

export ISOLOIR_TEST_PG="host=127.0.0.1 port=$port user=$superuser password=$password dbname=postgres"
set +e
"$@"
rc=$?
set -e
exit "$rc"
