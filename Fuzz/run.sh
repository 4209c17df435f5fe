#!/usr/bin/env bash
# The libFuzzer targets (Fuzz/Sources), built with AddressSanitizer (leaks included) and run
# for a bounded number of executions each from the seed corpora in Fuzz/corpus (plus the
# repository's board files) with their dictionaries in Fuzz/dict. A crash, a hang (an input
# taking over 10 s), a leak or an out-of-memory fails the run; the reproducer is left in
# Fuzz/findings/ — add it to Fuzz/corpus/<target>/ (FuzzCorpusTests replays every file there).
#
# Usage: Fuzz/run.sh [runs per target]      (default 100000)
set -euo pipefail
cd "$(dirname "$0")"
runs=${1:-100000}
# Debug with sanitizer coverage: the sanitizers need no optimisation, and a release build of
# the same code took longer than the runs it saves.
flags=(-Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library -Xswiftc -use-ld=lld)
swift build --scratch-path .build-fuzz "${flags[@]}" 2>&1 | grep -E "error|warning: .*\.swift|Compiling|Build complete" | grep -v "^\[" || true
bin=$(swift build --scratch-path .build-fuzz "${flags[@]}" --show-bin-path)
mkdir -p findings
status=0
run() { # run TARGET CORPUS DICT EXECUTIONS [NAME] [extra corpus dirs...]
  local target=$1 corpus=$2 dict=$3 count=$4 name=${5:-$1}; shift 5 2>/dev/null || shift $#
  local work; work=$(mktemp -d)
  local log=findings/$name.log
  echo "== $name"
  local started=$SECONDS
  if ASAN_OPTIONS=detect_leaks=1:allocator_may_return_null=1 "$bin/$target" "$work" "corpus/$corpus" "$@" \
      -dict="dict/$dict.dict" -runs="$count" -timeout=10 -rss_limit_mb=2048 -max_len=4096 \
      -artifact_prefix="findings/$target-" -print_final_stats=1 >"$log" 2>&1; then
    echo "   $(grep -E '^stat::number_of_executed_units' "$log" | awk '{print $2}') executions in $((SECONDS - started)) s, $(grep -E '^#[0-9]+.*DONE' "$log" | sed 's/.*cov: \([0-9]*\).*/\1/') edges covered, no crash"
  else
    status=1
    echo "   FAILED: $(grep -E 'ERROR|==[0-9]+==|Fatal error|deadly signal|timeout' "$log" | head -3)"
    ls findings/"$target"-* 2>/dev/null | sed 's/^/   reproducer: /'
  fi
  rm -rf "$work"
}

# The board reader is the slowest target (~5 ms an input under ASan: YAML, then the tree on
# simulated hardware; 400-480 s for 100,000 in CI), the other four take ~160 s together. So its
# executions are split between two processes (independent searches from the same seeds, each
# with its own work corpus) that run beside the other four in turn: three processes on two
# cores, about 320 s of wall time where one board lane alone took its whole 400-480 s.
half=$((runs / 2))
( run FuzzBoardFile board board "$half" FuzzBoardFile-1 ../boards >findings/lane-board-1.out; exit $status ) &
board1=$!
( run FuzzBoardFile board board "$((runs - half))" FuzzBoardFile-2 ../boards >findings/lane-board-2.out; exit $status ) &
board2=$!
run FuzzSerialWire wire wire "$runs"
run FuzzRequestBody body body "$runs"
run FuzzResourcePath path path "$runs"
run FuzzEventStream stream stream "$runs"
wait $board1 || status=1
wait $board2 || status=1
cat findings/lane-board-1.out findings/lane-board-2.out
exit $status
