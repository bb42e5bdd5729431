#!/usr/bin/env bash
# Load test of the voter portal (issue 4 §5), see docs/load.md.
#
#   bench/load/run.sh [sqlite|postgresql] VOTERS CONCURRENCY [isoloir_load options...]
#
# CONCURRENCY and $SERVER_THREADS may be lists ("8,16,32"): each pair runs
# $RUNS times, on fresh copies of the same prepared data.
#
# 1. Prepares a data folder as an organiser would (scripts/portal-fixture.sh:
#    election, synthetic roll of VOTERS, credentials generated and sent to the
#    Maildir, local key ceremony), from a bench election whose first scrutin
#    has the standard ballot: 10 lists and the blank vote (11 choices).
# 2. For each of $RUNS runs, on a fresh copy of that store (a copied SQLite
#    folder, or a PostgreSQL database cloned from a template): starts
#    `isoloir serve` on 127.0.0.1, runs build/.../isoloir_load (login-only
#    phase for the CPU per login, then the timed phase), stops the server
#    with SIGTERM.
#
# On PostgreSQL without $ISOLOIR_TEST_PG, runs itself under
# scripts/with-postgres.sh (a throw-away cluster on 127.0.0.1, durable:
# fsync and synchronous_commit on, unless ISOLOIR_PG_DURABLE=0).
#
# Environment:
#   BUILD_DIR       build folder with isoloir and bench/isoloir_load (build/release)
#   RUNS            runs on fresh copies of the store (3)
#   SERVER_THREADS  `isoloir serve --threads`, or a list (2)
#   LOAD_SECONDS    time bound of the timed phase (60)
#   LOGIN_ONLY      logins of the login-only phase (1000; 0 to skip)
#   PORT            port of the portal (a free one)
#   OUT             folder for the JSON results and logs (/tmp/isoloir-load-BACKEND-DATE)
#   WORK            folder for the prepared data (a temporary folder, deleted at the end)
#   PROFILE=1       perf record the portal during each run (perf-*.txt), and on
#                   PostgreSQL keep pg_stat_statements per run (pgss-*.txt)
#   ISOLOIR_ASSETS  folder with booth.js (the load uses the JSON API only: a
#                   placeholder is served when web/dist has none)
set -euo pipefail

src=$(cd "$(dirname "$0")/../.." && pwd)
if (($# < 3)); then
  sed -n '2,/^set -euo/p' "$0" | sed 's/^# \{0,1\}//' | head -n -1 >&2
  exit 2
fi
backend=$1 voters=$2 concurrency=$3
shift 3
case $backend in
  sqlite) ;;
  postgresql)
    if [[ -z ${ISOLOIR_TEST_PG:-} ]]; then
      export ISOLOIR_PG_DURABLE=${ISOLOIR_PG_DURABLE:-1}
      if [[ ${PROFILE:-0} == 1 ]]; then
        export ISOLOIR_PG_OPTIONS="${ISOLOIR_PG_OPTIONS:-} -c shared_preload_libraries=pg_stat_statements -c pg_stat_statements.track_planning=on"
      fi
      exec "$src/scripts/with-postgres.sh" "$0" "$backend" "$voters" "$concurrency" "$@"
    fi
    ;;
  *)
    echo "run.sh: backend is sqlite or postgresql" >&2
    exit 2
    ;;
esac

build=${BUILD_DIR:-$src/build/release}
isoloir=$build/src/cli/isoloir
load=$build/bench/isoloir_load
for b in "$isoloir" "$load"; do
  [[ -x $b ]] || { echo "run.sh: $b is missing (ninja -C $build isoloir isoloir_load)" >&2; exit 1; }
done
runs=${RUNS:-3}
threads=${SERVER_THREADS:-2}
seconds=${LOAD_SECONDS:-60}
login_only=${LOGIN_ONLY:-1000}
out=${OUT:-/tmp/isoloir-load-$backend-$(date +%Y%m%d-%H%M%S)}
mkdir -p "$out"

own_work=0
if [[ -z ${WORK:-} ]]; then
  WORK=$(mktemp -d "${TMPDIR:-/tmp}/isoloir-load.XXXXXX")
  own_work=1
fi
server_pid=
cleanup() {
  local rc=$?
  if [[ -n $server_pid ]] && kill -0 "$server_pid" 2>/dev/null; then
    kill -TERM "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  if ((own_work)); then rm -rf "$WORK"; fi
  exit "$rc"
}
trap cleanup EXIT

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# The bench election: the demo election with one scrutin of 10 lists and the
# blank vote, so that every voter has the standard ballot.
python3 - "$src/examples/election-demo.json" "$WORK/election-bench.json" <<'EOF'
import json, sys
e = json.load(open(sys.argv[1], encoding='utf-8'))
sigles = ['SNAD', 'CFAD', 'UNEX', 'FDPA', 'SAPE', 'UDAF', 'CGAD', 'FSAD', 'ALTD', 'INDP']
e['id'] = 'bench-2026'
e['title'] = 'Élections professionnelles 2026 (banc de charge)'
e['scrutins'] = [{
    'code': 'CSA-BENCH',
    'title': "Comité social d'administration (bulletin standard : 10 listes et le vote blanc)",
    'mode': 'sigle',
    'sieges_titulaires': 5,
    'sieges_suppleants': 5,
    'blank_allowed': True,
    'listes': [{'id': f'S{i + 1}', 'sigle': s} for i, s in enumerate(sigles)],
}]
json.dump(e, open(sys.argv[2], 'w', encoding='utf-8'), ensure_ascii=False, indent=2)
EOF

data=$WORK/data
pg_base=
if [[ $backend == postgresql ]]; then
  pg_base=$ISOLOIR_TEST_PG
  if [[ $pg_base != *dbname=postgres* ]]; then
    echo "run.sh: \$ISOLOIR_TEST_PG must say dbname=postgres (as with-postgres.sh does)" >&2
    exit 2
  fi
  export ISOLOIR_DB=postgresql
  # The fixture fills a database of its own, kept as the template of each run.
  psql "$pg_base" -qAtc "DROP DATABASE IF EXISTS isoloir_load_template" >/dev/null 2>&1
  psql "$pg_base" -qAtc "CREATE DATABASE isoloir_load_template" >/dev/null
  export ISOLOIR_PG="${pg_base/dbname=postgres/dbname=isoloir_load_template}"
fi
assets=${ISOLOIR_ASSETS:-$src/web/dist}
if [[ ! -f $assets/booth.js ]]; then
  assets=$WORK/assets
  mkdir -p "$assets"
  echo "/* placeholder: the load generator uses the JSON API */" >"$assets/booth.js"
fi

port=${PORT:-$(free_port)}
echo "run.sh: preparing $voters voters on $backend in $WORK (untimed)..." >&2
t0=$(date +%s)
ISOLOIR_FIXTURE_ELECTION=$WORK/election-bench.json ISOLOIR_PORTAL_URL=http://127.0.0.1:$port \
  ISOLOIR_ASSETS="$assets" "$src/scripts/portal-fixture.sh" "$isoloir" "$data" "$voters"
echo "run.sh: data ready in $(($(date +%s) - t0)) s" >&2

# Medians over the runs of one configuration.
summarise() {
  python3 - "$@" <<'EOF'
import json, statistics, sys
out, tag, runs = sys.argv[1], sys.argv[2], int(sys.argv[3])
rs = [json.load(open(f'{out}/run-{tag}-{i}.json')) for i in range(1, runs + 1)]
def med(f):
    v = [f(r) for r in rs]
    v = [x for x in v if x is not None]
    return (statistics.median(v), v) if v else (None, v)
def cpu(phase, key, k):
    def f(r):
        if phase not in r or len(r[phase][key]) <= k:
            return None
        return r[phase][key][k]
    return f
rows = [
    ('ballots/s (steady)', lambda r: r['timed']['throughput'].get('steady_per_s')),
    ('ballots/s (overall)', lambda r: r['timed']['throughput']['overall_per_s']),
    ('login p50 ms', lambda r: r['timed']['login'].get('p50_ms')),
    ('login p95 ms', lambda r: r['timed']['login'].get('p95_ms')),
    ('login p99 ms', lambda r: r['timed']['login'].get('p99_ms')),
    ('cast p50 ms', lambda r: r['timed']['cast'].get('p50_ms')),
    ('cast p95 ms', lambda r: r['timed']['cast'].get('p95_ms')),
    ('cast p99 ms', lambda r: r['timed']['cast'].get('p99_ms')),
    ('ballots accepted', lambda r: r['timed']['casts_ok']),
    ('errors', lambda r: r['timed']['error_count']),
    ('server CPU ms/login (portal)', cpu('login_only', 'server_cpu_ms_per_login', 0)),
    ('server CPU ms/login (database)', cpu('login_only', 'server_cpu_ms_per_login', 1)),
    ('server CPU ms/voter (portal)', cpu('timed', 'server_cpu_ms_per_voter', 0)),
    ('server CPU ms/voter (database)', cpu('timed', 'server_cpu_ms_per_voter', 1)),
    ('others\' CPU, % of machine', lambda r: 100 * max(0, r['timed']['machine_cpu_s'] - sum(r['timed']['server_cpu_s']) - r['timed']['client_cpu_s']) / (r['timed']['wall_s'] * r['timed']['cores'])),
]
c = rs[0]['config']
print(f'== {tag}: server threads {tag.split("-")[0][1:]}, {c["concurrency"]} clients, '
      f'{c["voters_prepared"]} voters, {runs} run(s); results in {out}')
for name, f in rows:
    m, v = med(f)
    if m is None:
        continue
    print(f'{name:34s} median {m:9.2f}   runs: ' + ', '.join(f'{x:.2f}' for x in v))
EOF
}

for threads in ${threads//,/ }; do
  for concurrency in ${concurrency//,/ }; do
    tag=t$threads-c$concurrency
    for run in $(seq 1 "$runs"); do
      run_data=$WORK/run-$run
      rm -rf "$run_data"
      cp -a "$data" "$run_data"
      serve_env=(env ISOLOIR_DATA="$run_data")
      db_args=(--db sqlite)
      pids=()
      if [[ $backend == postgresql ]]; then
        psql "$pg_base" -qAtc "DROP DATABASE IF EXISTS isoloir_load_run" >/dev/null 2>&1
        psql "$pg_base" -qAtc \
          "CREATE DATABASE isoloir_load_run TEMPLATE isoloir_load_template" >/dev/null
        serve_env+=(ISOLOIR_PG="${pg_base/dbname=postgres/dbname=isoloir_load_run}")
        db_args=(--db postgresql)
        if [[ ${PROFILE:-0} == 1 ]]; then
          psql "${pg_base/dbname=postgres/dbname=isoloir_load_run}" -qAtc \
            "CREATE EXTENSION IF NOT EXISTS pg_stat_statements; SELECT pg_stat_statements_reset()" \
            >/dev/null
        fi
        # The postmaster: its backends are its children, and their CPU is measured too.
        pids+=(--server-pid
          "$(psql "$pg_base" -qAtc "SELECT pg_read_file('postmaster.pid')" | head -1)")
      fi
      "${serve_env[@]}" "$isoloir" serve "${db_args[@]}" --address 127.0.0.1 --port "$port" \
        --threads "$threads" --assets "$assets" >"$out/serve-$tag-$run.log" 2>&1 &
      server_pid=$!
      for _ in $(seq 1 100); do
        curl -fsS "http://127.0.0.1:$port/api/v1/election" >/dev/null 2>&1 && break
        kill -0 "$server_pid" 2>/dev/null || { cat "$out/serve-$tag-$run.log" >&2; exit 1; }
        sleep 0.1
      done
      echo "run.sh: $tag run $run/$runs: $backend, $voters voters, $concurrency clients," \
        "server threads $threads" >&2
      perf_pid=
      if [[ ${PROFILE:-0} == 1 ]]; then
        perf record -q -e cpu-clock -F 499 --call-graph dwarf,16384 -p "$server_pid" \
          -o "$out/perf-$tag-$run.data" 2>"$out/perf-$tag-$run.log" &
        perf_pid=$!
      fi
      rc=0
      "$load" --url "http://127.0.0.1:$port" --voters "$data/identifiants.csv" \
        --concurrency "$concurrency" --seconds "$seconds" --login-only "$login_only" \
        --server-pid "$server_pid" "${pids[@]}" --json-out "$out/run-$tag-$run.json" "$@" || rc=$?
      if [[ -n $perf_pid ]]; then
        kill -INT "$perf_pid"
        wait "$perf_pid" || true
        perf report -i "$out/perf-$tag-$run.data" --stdio --no-children --percent-limit 0.5 \
          --sort dso,symbol -g none >"$out/perf-$tag-$run.txt" 2>/dev/null || true
        perf report -i "$out/perf-$tag-$run.data" --stdio --children --percent-limit 2 \
          --sort symbol -g none >"$out/perf-children-$tag-$run.txt" 2>/dev/null || true
      fi
      if [[ ${PROFILE:-0} == 1 && $backend == postgresql ]]; then
        psql "${pg_base/dbname=postgres/dbname=isoloir_load_run}" -qc \
          "SELECT calls, round(total_exec_time::numeric, 1) AS total_ms,
                  round((total_exec_time / NULLIF(calls, 0))::numeric, 3) AS mean_ms,
                  round(total_plan_time::numeric, 1) AS plan_ms,
                  left(regexp_replace(query, '\s+', ' ', 'g'), 110) AS query
             FROM pg_stat_statements ORDER BY total_exec_time DESC LIMIT 40" \
          >"$out/pgss-$tag-$run.txt" 2>&1 || true
      fi
      kill -TERM "$server_pid"
      wait "$server_pid" || { echo "run.sh: the server exited with status $?" >&2; rc=1; }
      server_pid=
      rm -rf "$run_data"
      ((rc == 0)) || echo "run.sh: $tag run $run reported errors (status $rc)" >&2
    done
    summarise "$out" "$tag" "$runs" | tee "$out/summary-$tag.txt"
  done
done
