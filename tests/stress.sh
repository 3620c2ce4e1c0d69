#!/usr/bin/env bash
# The deploy and browser tests, over and over, on a machine whose cores are all kept busy: a test that races
# (reads a log line, file, port or row once, right after the action that produces it) fails here.
#
#   bash tests/stress.sh                 # 20 runs of tests/deploy and tests/e2e
#   bash tests/stress.sh 5 tests/deploy  # 5 runs of the given pytest targets
#
# Settings (environment): STRESS_BUSY (busy loops, default: one per core); STRESS_WORKERS (pytest-xdist
# processes, default 3 as in python3 dev.py test; 0 for one process); STRESS_RUN_TIMEOUT (seconds a run may
# take, default 3600; at the limit pytest gets Ctrl+C and lists what failed so far); STRESS_DEADLINE (seconds
# after which no new run starts, default: none); STRESS_LOGS (folder of each run's pytest output, run-N.log;
# default test-artifacts/stress). Prints one line per run and a summary.
# Exit status: 0 when every run passed.
set -u
cd "$(dirname "$0")/.."

runs="${1:-20}"
shift || true
targets=("$@")
[ "${#targets[@]}" -eq 0 ] && targets=(tests/deploy tests/e2e)
py=.venv/bin/python
[ -x "$py" ] || py=python3
busy="${STRESS_BUSY:-$(nproc)}"
workers="${STRESS_WORKERS:-3}"  # pytest-xdist processes, as python3 dev.py test runs the suite (0: one process)
run_timeout="${STRESS_RUN_TIMEOUT:-3600}"
deadline="${STRESS_DEADLINE:-0}"
logs="${STRESS_LOGS:-test-artifacts/stress}"
mkdir -p "$logs"

loops=()
stop_loops() {
  for pid in "${loops[@]}"; do kill "$pid" 2>/dev/null; done
  for pid in "${loops[@]}"; do wait "$pid" 2>/dev/null; done
  loops=()
}
trap stop_loops EXIT
trap 'exit 130' INT TERM
for _ in $(seq "$busy"); do
  yes >/dev/null &
  loops+=("$!")
done

echo "stress: ${runs} runs of ${targets[*]} with ${busy} busy loops on $(nproc) cores (log: ${logs}/)"
started=$SECONDS
passed=0
done_runs=0
failed_runs=()
for n in $(seq "$runs"); do
  if [ "$deadline" -gt 0 ] && [ $((SECONDS - started)) -ge "$deadline" ]; then
    echo "stress: deadline of ${deadline} s reached, no more runs"
    break
  fi
  log="${logs}/run-${n}.log"
  t0=$SECONDS
  timeout -s INT --kill-after=120 "$run_timeout" "$py" -m pytest "${targets[@]}" -q -p no:cacheprovider \
    --numprocesses "$workers" --dist loadfile >"$log" 2>&1
  status=$?
  took=$((SECONDS - t0))
  done_runs=$((done_runs + 1))
  result="$(grep -E '(passed|failed|error|errors)[ ,].*in [0-9.]+s' "$log" | tail -1 | sed -E 's/^[= ]+|[= ]+$//g')"
  if [ "$status" -eq 0 ]; then
    passed=$((passed + 1))
    echo "run ${n}/${runs}: pass (${result:-?}; ${took} s)"
  else
    [ "$status" -eq 124 ] && result="timed out after ${run_timeout} s"
    failed_runs+=("$n")
    echo "run ${n}/${runs}: FAIL (${result:-exit ${status}}; ${took} s)"
    grep -E '^(FAILED|ERROR) ' "$log" | sed 's/^/    /'
  fi
done
echo "stress summary: ${passed}/${done_runs} runs passed${failed_runs:+ (failed: ${failed_runs[*]})}, $((SECONDS - started)) s, ${targets[*]}, ${busy} busy loops"
[ "$passed" -eq "$done_runs" ] && [ "$done_runs" -gt 0 ]
