#!/usr/bin/env bash
# make test-cluster: build (cached) -> up -> smoke -> suite -> down (always), with timings.
# Exit status non-zero on any failure; the last line is "N passed, N failed".
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
ROOT="$(cd "$CLUSTER_DIR/../.." && pwd)"
T0=$SECONDS
# name:script of the suites that run after the scenario suite (skipped when the file is absent).
EXTRA_SUITES="${CRASHLAB_EXTRA_SUITES-verify:verify-suite.mjs diagnose:diagnose-suite.mjs gameday:gameday-suite.mjs gameboard:gameboard-suite.mjs webboard:webboard-suite.mjs rehearsal:rehearsal-suite.mjs faults:faults-suite.mjs scale:scale-suite.mjs}"
EXTRA_NAMES="$(for e in $EXTRA_SUITES; do printf '%s ' "${e%%:*}"; done)"
MARK="$(mktemp)"
declare -A TIMES
timed() { local n="$1" t=$SECONDS; shift; "$@"; local rc=$?; TIMES[$n]=$((SECONDS - t)); return $rc; }
summary() {
  local k
  log "timings: $(for k in build cli up smoke facts faults-token suite $EXTRA_NAMES down; do [[ -n "${TIMES[$k]:-}" ]] && printf '%s=%ss ' "$k" "${TIMES[$k]}"; done)total=$((SECONDS - T0))s"
}

set +e
timed build bash "$CLUSTER_DIR/build.sh" all || { summary; echo "0 passed, 1 failed"; exit 1; }
timed cli make -C "$ROOT" --no-print-directory build || { summary; echo "0 passed, 1 failed"; exit 1; }

down() { timed down bash "$CLUSTER_DIR/down.sh"; }
trap 'down; summary' EXIT

timed up bash "$CLUSTER_DIR/up.sh" || { echo "0 passed, 1 failed"; exit 1; }
timed smoke bash "$CLUSTER_DIR/smoke.sh"
smoke_rc=$?
export KUBECONFIG="$KUBECONFIG_FILE"
# The suites' temporary files (participant homes, kubeconfigs, captures) under one folder,
# removed at the end, so repeated runs do not fill /tmp.
export TMPDIR="$(mktemp -d -t crashlab-cluster-run-XXXXXX)"
# Informational: what the cluster does for DESIGN.md's facts (not counted as pass/fail).
timed facts bash "$CLUSTER_DIR/facts.sh" > "$CACHE/facts.md" 2>"$CACHE/facts.err" || log "facts.sh failed (see $CACHE/facts.err)"
# The faults suite's expiring token (10 min, ~11 until the API server refuses it) is issued now
# and its game left running: by the time that suite runs last, the token has expired (no wait).
token_rc=0
if [[ " $EXTRA_NAMES " == *" faults "* && -f "$CLUSTER_DIR/faults-suite.mjs" ]]; then
  export CRASHLAB_FAULTS_TOKEN="$CACHE/faults-token.json"
  rm -f "$CRASHLAB_FAULTS_TOKEN"
  timed faults-token node "$CLUSTER_DIR/faults-suite.mjs" --token-step
  token_rc=$?
fi
t_suite=$SECONDS
node "$CLUSTER_DIR/suite.mjs" "$@" | tee "$CACHE/suite.log"
suite_rc=${PIPESTATUS[0]}
TIMES[suite]=$((SECONDS - t_suite))
# The suite printed "N passed, N failed"; fold the smoke result into a final line.
line="$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$CACHE/suite.log" | tail -n 1)"
p="$(echo "$line" | cut -d' ' -f1)"; f="$(echo "$line" | cut -d' ' -f3)"
p=${p:-0}; f=${f:-1}
# The other cluster suites: the verifier on its own workloads, live diagnosis of workloads
# written apart from the scenarios, and game days (provisioning, isolation, board). Each one
# prints "N passed, N failed" last; they run one after another so that timing checks are not
# starved by each other on a 2-core machine.
extra_rc=0
for extra in $EXTRA_SUITES; do
  name="${extra%%:*}"; script="${extra#*:}"
  [[ -f "$CLUSTER_DIR/$script" ]] || continue
  t_extra=$SECONDS
  node "$CLUSTER_DIR/$script" | tee "$CACHE/$name.log"
  rc=${PIPESTATUS[0]}
  TIMES[$name]=$((SECONDS - t_extra))
  line="$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$CACHE/$name.log" | tail -n 1)"
  ep="$(echo "$line" | cut -d' ' -f1)"; ef="$(echo "$line" | cut -d' ' -f3)"
  p=$((p + ${ep:-0})); f=$((f + ${ef:-1}))
  ((rc == 0)) || extra_rc=1
done
if ((smoke_rc == 0)); then p=$((p + 1)); else f=$((f + 1)); fi
((token_rc == 0)) || f=$((f + 1))
trap - EXIT
down; down_rc=$?
((down_rc == 0)) && p=$((p + 1)) || f=$((f + 1))
summary
if [[ -f "$CLUSTER_DIR/report.md" && "$CLUSTER_DIR/report.md" -nt "$MARK" ]]; then
  {
    echo "## The whole run (run.sh)"
    echo
    echo "smoke: $([[ $smoke_rc == 0 ]] && echo passed || echo FAILED); teardown: $([[ $down_rc == 0 ]] && echo clean || echo 'left something behind'); timings: $(for k in build cli up smoke facts faults-token suite $EXTRA_NAMES down; do [[ -n "${TIMES[$k]:-}" ]] && printf '%s %ss, ' "$k" "${TIMES[$k]}"; done)total $((SECONDS - T0))s."
    echo
    echo "$p passed, $f failed (suite + smoke + teardown)"
  } >> "$CLUSTER_DIR/report.md"
fi
# Every failure again, short, just above the last line: CI keeps only the head and the tail of
# a run's output, and a failure in the middle of a suite would otherwise be out of sight.
if ((f > 0)); then
  echo "failures (each suite's log is in $CACHE):"
  for n in suite $EXTRA_NAMES; do
    [[ -f "$CACHE/$n.log" && "$CACHE/$n.log" -nt "$MARK" ]] || continue
    grep -E '^(\[[0-9:]+\] )?FAIL ' "$CACHE/$n.log" | cut -c1-400 | sed "s/^/  $n: /"
  done
  ((smoke_rc == 0)) || echo "  smoke failed"
  ((token_rc == 0)) || echo "  faults-token failed"
  ((down_rc == 0)) || echo "  teardown left something behind"
fi
rm -f "$MARK"
rm -rf "$TMPDIR"
echo "$p passed, $f failed"
((f == 0 && suite_rc == 0 && smoke_rc == 0 && token_rc == 0 && extra_rc == 0)) || exit 1
