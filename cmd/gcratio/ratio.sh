#!/usr/bin/env bash
# GroupCamp over the bare ceiling (../shared/bench), measured side by side: one task by id,
# list 50 tasks of a 1,000-task project, create a task; c=16, short windows after a warm-up,
# two rounds in alternating order. Prints req/s, p99 and the body size of each, and the ratios.
# Needs curl and jq. Usage: go tool task ratio [-- SECONDS [CONCURRENCY]]
# Env: BENCH_DIR (default ../shared/bench), GROUPCAMP_DATABASE_URL / GROUPCAMP_REDIS_URL to
# measure GroupCamp on PostgreSQL / Redis.
set -euo pipefail
DUR=${1:-8}
CONC=${2:-16}
WARM=2
BENCH_DIR=${BENCH_DIR:-../shared/bench}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BENCH_DIR=$(cd "$ROOT" && cd "$BENCH_DIR" && pwd)
W=$(mktemp -d)
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done; rm -rf "$W"; }
trap cleanup EXIT

echo "building ..." >&2
(cd "$BENCH_DIR/ceiling" && go build -o "$W/ceiling" .)
(cd "$BENCH_DIR/loadgen" && go build -o "$W/loadgen" .)
(cd "$ROOT" && go build -o "$W/groupcamp" ./cmd/groupcamp && go build -o "$W/gcload" ./cmd/gcload)

CPORT=18090
GPORT=18091
"$W/ceiling" -seed 1000 -db "$W/c.db" -addr 127.0.0.1:$CPORT >"$W/ceiling.log" 2>&1 &
PIDS+=($!)
echo "seeding GroupCamp (1 project, 1,000 tasks) ..." >&2
"$W/gcload" -data-dir "$W/gc" -seed-only -projects 1 -tasks 1000 -json >"$W/seed.json" 2>"$W/seed.log"
"$W/groupcamp" serve -data-dir "$W/gc" -addr 127.0.0.1:$GPORT -log-level warn >"$W/gc.log" 2>&1 &
PIDS+=($!)
for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$GPORT/readyz" >/dev/null && curl -sf "http://127.0.0.1:$CPORT/hello" >/dev/null && break; sleep 0.1; done

SLUG=$(jq -r .seed.slug "$W/seed.json")
# In-process, gcload does not print the sign-in; it follows from the slug (core/load).
EMAIL="owner-0@$SLUG.load.test"
PASS="gcload-${SLUG#load-}-secret"
G=http://127.0.0.1:$GPORT
TOKEN=$(curl -sf -X POST "$G/api/v1/login" -H 'Content-Type: application/json' -d "{\"email\":\"$EMAIL\",\"password\":\"$PASS\"}" | jq -r .token)
AUTH=(-H "Authorization: Bearer $TOKEN")
PID_=$(curl -sf "${AUTH[@]}" "$G/api/v1/$SLUG/projects?limit=1" | jq -r '.items[0].id')
TASKS=$(curl -sf "${AUTH[@]}" "$G/api/v1/$SLUG/projects/$PID_/tasks?limit=50")
TID=$(echo "$TASKS" | jq -r '.items[0].id')
LID=$(echo "$TASKS" | jq -r '.items[0].list_id')
C=http://127.0.0.1:$CPORT

# name|groupcamp method url body|ceiling method url body
WORKLOADS=(
  "one task by id|GET $G/api/v1/$SLUG/tasks/$TID -|GET $C/tasks/1 -"
  "list 50 tasks of 1,000|GET $G/api/v1/$SLUG/projects/$PID_/tasks?limit=50 -|GET $C/tasks?limit=50 -"
  "create a task|POST $G/api/v1/$SLUG/projects/$PID_/tasks {\"list_id\":$LID,\"title\":\"Task %d\",\"due_on\":\"2026-06-30\"}|POST $C/tasks {\"title\":\"Task %d\",\"project_id\":1}"
)

# run METHOD URL BODY TOKEN SECONDS -> "rps p99 body errors"
run() {
  local args=(-m "$1" -u "$2" -c "$CONC" -d "$5s")
  [ "$3" != "-" ] && args+=(-body "$3")
  [ -n "$4" ] && args+=(-token "$4")
  local out
  out=$("$W/loadgen" "${args[@]}")
  local rps p99 body non2xx
  rps=$(sed -n 's/.* rps=\([0-9.]*\).*/\1/p' <<<"$out")
  p99=$(sed -n 's/.* p99=\([^ ]*\).*/\1/p' <<<"$out" | head -1)
  body=$(sed -n 's/.* avg_body=\([0-9]*\)B.*/\1/p' <<<"$out")
  non2xx=$(sed -n 's/.* non2xx=\([0-9]*\).*/\1/p' <<<"$out")
  echo "$rps $p99 $body $non2xx"
}

printf "%-24s %5s %12s %9s %8s %12s %9s %8s %7s\n" workload round groupcamp p99 body ceiling p99 body ratio
for w in "${WORKLOADS[@]}"; do
  IFS='|' read -r name gspec cspec <<<"$w"
  read -r gm gu gb <<<"$gspec"
  read -r cm cu cb <<<"$cspec"
  sum=0
  for round in 1 2; do
    if [ $round = 1 ]; then order="g c"; else order="c g"; fi
    for who in $order; do
      if [ $who = g ]; then
        run "$gm" "$gu" "$gb" "$TOKEN" $WARM >/dev/null; read -r grps gp99 gbody gerr <<<"$(run "$gm" "$gu" "$gb" "$TOKEN" "$DUR")"
      else
        run "$cm" "$cu" "$cb" "" $WARM >/dev/null; read -r crps cp99 cbody cerr <<<"$(run "$cm" "$cu" "$cb" "" "$DUR")"
      fi
    done
    ratio=$(awk -v a="$grps" -v b="$crps" 'BEGIN{ if (b>0) printf "%.2f", a/b; else print "-" }')
    printf "%-24s %5s %12s %9s %7sB %12s %9s %7sB %7s%s\n" "$name" $round "$grps" "$gp99" "$gbody" "$crps" "$cp99" "$cbody" "$ratio" \
      "$( [ "${gerr:-0}" != 0 ] && echo "  ($gerr GroupCamp non-2xx)" )"
  done
done
echo "GroupCamp: $("$W/groupcamp" --version 2>/dev/null || true) database ${GROUPCAMP_DATABASE_URL:-sqlite}; $(nproc) CPUs; load average $(cut -d' ' -f1-3 /proc/loadavg)"
