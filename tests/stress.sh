#!/bin/sh
# tests/stress.sh — looks for tests that a loaded machine can break: runs
# every built cmocka unit binary ROUNDS times, three copies at once, beside a
# busy loop, and prints per binary how many runs failed and the first failed
# assertions. Not part of `make test`: it takes minutes and proves nothing
# when it passes, but a test it fails once is a test CI will fail one day.
#   sh tests/stress.sh [BUILD-DIR...]   (default: build build-asan build-tsan)
#   ROUNDS=15 (default 10)
cd "$(dirname "$0")/.." || exit 2
rounds=${ROUNDS:-10}
[ $# -gt 0 ] || set -- build build-asan build-tsan
work=$(mktemp -d) || exit 2
sh -c 'while :; do :; done' &
burner=$!
trap 'kill $burner 2>/dev/null; rm -rf "$work"' EXIT
trap 'exit 130' INT TERM HUP
bad=0
for dir in "$@"; do
	for t in "$dir"/tests/test_*; do
		[ -x "$t" ] || continue
		failed=0
		i=0
		while [ $i -lt "$rounds" ]; do
			pids=""
			for j in 1 2 3; do
				timeout 600 "$t" >"$work/$j" 2>&1 </dev/null &
				pids="$pids $!"
			done
			j=0
			for p in $pids; do # a run fails as tests/run.sh counts it: by its status
				j=$((j + 1))
				wait "$p" && continue
				failed=$((failed + 1))
				grep -m 2 'ERROR\|FAILED  \] [a-z]\|Sanitizer' "$work/$j" | sed "s|^|    $t: |"
			done
			i=$((i + 1))
		done
		echo "$t: $failed of $((rounds * 3)) runs failed"
		[ $failed -eq 0 ] || bad=1
	done
done
exit $bad
