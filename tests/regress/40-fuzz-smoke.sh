#!/bin/sh
# 40-fuzz-smoke.sh — a short libFuzzer run of every harness (ITEMS, the typed
# command line, lesson loading) so a parser crash is caught by `make test`;
# `make fuzz` runs the long ones.
. tests/regress/lib.sh
sh tests/fuzz/run.sh --smoke || TESTS_FAILED=1
finish
