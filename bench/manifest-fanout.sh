#!/usr/bin/env bash
# Manifests with many layers (issue 12, item 7): PUT, HEAD, GET and DELETE of image manifests of
# 1,000 to 36,000 layers (manifest-N; 4.1 MB at 36,000, under both registries' 4 MiB limit), of
# 36,000 layers that are all the same blob (same-36000), of that one again while a manifest of
# 36,000 other layers is stored (second-36000), and of an index of 10,000 children; Berth on H2
# (and on PostgreSQL with PG=1) side by side with CNCF distribution, one registry after the other
# for each figure.
#
#   bench/manifest-fanout.sh                          # 3 runs
#   COUNTS="1000 36000" RUNS=1 bench/manifest-fanout.sh
#   PG=1 bench/manifest-fanout.sh                     # also Berth on PostgreSQL, in a schema of its own
#   KEEP=/var/tmp/fanout bench/manifest-fanout.sh     # keep the servers' data (36,000 blobs each) for the next run
#   BERTH=/path/to/other/build/berth LABEL="main at f6ecc77" bench/manifest-fanout.sh
#
# Every registry first receives the 36,000 blobs and 10,000 one-layer child manifests (POST + PUT
# each, a few minutes per registry; with KEEP only the first time). Needs python3, curl and
# docker-registry; with PG=1 a PostgreSQL at PG_HOST:PG_PORT (127.0.0.1:5432), database PG_DB
# (berth_test) and user PG_USER/PG_PASSWORD (berth/berth), as `bash .ci/start-postgresql` makes it:
# Berth runs in a fresh schema there, dropped at the end unless KEEP is set.
# Prints each figure's median over the runs (seconds, wall time and the server's CPU time) and
# the ratio Berth/distribution (below 1: Berth is faster), then every run's raw line.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
if [ -z "${BERTH:-}" ]; then
  BERTH=$ROOT/target/berth
  LABEL=${LABEL:-"this checkout at $(git -C "$ROOT" log -1 --format=%h 2>/dev/null)$(git -C "$ROOT" diff --quiet HEAD -- src 2>/dev/null || echo ' with uncommitted changes')"}
fi
LABEL=${LABEL:-$BERTH}
COUNTS=${COUNTS:-1000 10000 20000 30000 36000}
CHILDREN=${CHILDREN:-10000}
RUNS=${RUNS:-3}
PG=${PG:-0}
PG_HOST=${PG_HOST:-127.0.0.1} PG_PORT=${PG_PORT:-5432} PG_DB=${PG_DB:-berth_test}
PG_USER=${PG_USER:-berth} PG_PASSWORD=${PG_PASSWORD:-berth}
H2_PORT=${H2_PORT:-15520} PG_BERTH_PORT=${PG_BERTH_PORT:-15521} DIST_PORT=${DIST_PORT:-15522}
CLIENT=$ROOT/bench/manifest-fanout.py
REPO=fanout/bench
MAX=0; for n in $COUNTS; do [ "$n" -gt "$MAX" ] && MAX=$n; done
if [ -n "${KEEP:-}" ]; then W=$KEEP; mkdir -p "$W"; else W=$(mktemp -d /tmp/berth-fanout.XXXXXX); fi
RESULTS=$W/results.txt
SCHEMA=$(cat "$W/pg-schema" 2>/dev/null || echo "fanout_$$")
echo "$SCHEMA" > "$W/pg-schema"
PIDS=()

cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  if [ -z "${KEEP:-}" ]; then
    [ "$PG" = 1 ] && psql_run "DROP SCHEMA IF EXISTS $SCHEMA CASCADE" > /dev/null 2>&1 || true
    rm -rf "$W"
  fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

TOOLS="python3 curl docker-registry"; [ "$PG" = 1 ] && TOOLS="$TOOLS psql"
for tool in $TOOLS; do
  command -v "$tool" >/dev/null || { echo "bench: $tool is not installed" >&2; exit 1; }
done
[ -x "$BERTH" ] || (cd "$ROOT" && ./mvnw -B -ntp -q package -DskipTests -Dberth.cds.skip=true)
psql_run() { PGPASSWORD=$PG_PASSWORD psql -h "$PG_HOST" -p "$PG_PORT" -U "$PG_USER" -d "$PG_DB" -tAqc "$1"; }

wait_up() { # url
  for _ in $(seq 1 600); do curl -sf -o /dev/null "$1" && return 0; sleep 0.2; done
  echo "bench: $1 did not come up" >&2; exit 1
}

start_berth() { # name port [extra options...]
  local name=$1 port=$2; shift 2
  (cd "$W" && BERTH_JAVA_OPTS=-Xmx1g exec "$BERTH" serve --port "$port" --data-dir "$W/$name" --berth.auth.mode=none \
    --logging.level.berth.access=warn "$@" > "$W/$name.log" 2>&1) &
  PIDS+=("$!"); echo "$!" > "$W/$name.pid"
  wait_up "http://127.0.0.1:$port/v2/"
}

start_distribution() {
  cat > "$W/dist.yml" <<EOF
version: 0.1
log: {level: error, accesslog: {disabled: true}}
storage:
  filesystem: {rootdirectory: $W/dist}
  delete: {enabled: true}
http: {addr: 127.0.0.1:$DIST_PORT}
EOF
  docker-registry serve "$W/dist.yml" > "$W/dist.log" 2>&1 &
  PIDS+=("$!"); echo "$!" > "$W/dist.pid"
  wait_up "http://127.0.0.1:$DIST_PORT/v2/"
}

TARGETS=(berth-h2 distribution)
declare -A URL=([berth-h2]=http://127.0.0.1:$H2_PORT [distribution]=http://127.0.0.1:$DIST_PORT)
declare -A DATA=([berth-h2]=berth-h2 [distribution]=dist)
start_berth berth-h2 "$H2_PORT"
if [ "$PG" = 1 ]; then
  TARGETS=(berth-h2 berth-pg distribution)
  URL[berth-pg]=http://127.0.0.1:$PG_BERTH_PORT; DATA[berth-pg]=berth-pg
  start_berth berth-pg "$PG_BERTH_PORT" \
    "--spring.datasource.url=jdbc:postgresql://$PG_HOST:$PG_PORT/$PG_DB?currentSchema=$SCHEMA" \
    "--spring.datasource.username=$PG_USER" "--spring.datasource.password=$PG_PASSWORD" \
    "--spring.flyway.default-schema=$SCHEMA" "--spring.flyway.schemas=$SCHEMA"
fi
start_distribution
declare -A PID=([berth-h2]=$(cat "$W/berth-h2.pid") [distribution]=$(cat "$W/dist.pid"))
[ "$PG" = 1 ] && PID[berth-pg]=$(cat "$W/berth-pg.pid")

echo "# machine: $(nproc) cores; load before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "# berth: $LABEL; counts: $COUNTS; children: $CHILDREN; runs: $RUNS; data: $W"
for t in "${TARGETS[@]}"; do
  marker=$W/${DATA[$t]}/.fanout-$MAX-$CHILDREN
  if [ ! -f "$marker" ]; then
    echo "# $t: pushing $MAX blobs and $CHILDREN child manifests"
    python3 "$CLIENT" blobs "${URL[$t]}" "$REPO" "$MAX"
    python3 "$CLIENT" children "${URL[$t]}" "$REPO" "$CHILDREN"
    touch "$marker"
  fi
  # Warm-up: the JVM compiles the request path in the first pushes.
  for _ in 1 2 3; do python3 "$CLIENT" manifest "${URL[$t]}" "$REPO" 1000 > /dev/null; done
done

: > "$RESULTS"
for run in $(seq 1 "$RUNS"); do
  for n in $COUNTS; do
    for t in "${TARGETS[@]}"; do
      echo "$t manifest-$n $(python3 "$CLIENT" manifest "${URL[$t]}" "$REPO" "$n" --pid "${PID[$t]}")" >> "$RESULTS"
    done
  done
  for t in "${TARGETS[@]}"; do
    echo "$t same-$MAX $(python3 "$CLIENT" manifest "${URL[$t]}" "$REPO" "$MAX" --same --pid "${PID[$t]}")" >> "$RESULTS"
    # A second big manifest while the first is stored (the first is pushed again, then deleted, after).
    python3 "$CLIENT" manifest "${URL[$t]}" "$REPO" "$MAX" --keep > /dev/null
    echo "$t second-$MAX $(python3 "$CLIENT" manifest "${URL[$t]}" "$REPO" "$MAX" --same --pid "${PID[$t]}")" >> "$RESULTS"
    python3 "$CLIENT" manifest "${URL[$t]}" "$REPO" "$MAX" > /dev/null
    echo "$t index-$CHILDREN $(python3 "$CLIENT" index "${URL[$t]}" "$REPO" "$CHILDREN" --pid "${PID[$t]}")" >> "$RESULTS"
  done
  echo "# run $run done; load: $(cut -d' ' -f1-3 /proc/loadavg)"
done
python3 "$CLIENT" report "$RESULTS" "${TARGETS[@]}"
echo "# load after: $(cut -d' ' -f1-3 /proc/loadavg)"
echo
echo "# raw lines (registry figure, then seconds; *_cpu: the server process's CPU seconds)"
cat "$RESULTS"
