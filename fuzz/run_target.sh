#!/bin/sh
# run_target.sh FUZZER WORK_DIR [libFuzzer options...] CORPUS_DIR...: one short fuzzing pass of a target for CI
# (meson test --suite fuzz) over its seeds and the inputs of past findings. New inputs go to WORK_DIR/corpus,
# never into the checked-in directories, and a crash leaves its input in WORK_DIR/crash-* (printed by libFuzzer).
set -eu
fuzzer=$1 work=$2
shift 2
mkdir -p "$work/corpus"
# libFuzzer exits 77 on a finding by default, which meson counts as a skip: make findings failures.
exec "$fuzzer" -artifact_prefix="$work/" -error_exitcode=1 -timeout_exitcode=1 -timeout=60 -print_final_stats=1 \
  "$work/corpus" "$@"
