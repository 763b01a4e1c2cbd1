#!/bin/sh
# tests/fuzz/run.sh — builds the libFuzzer harnesses (clang, with ASan and
# UBSan) and runs each from its corpus in tests/fuzz/corpus/NAME/.
#   run.sh            FUZZ_RUNS executions each (make fuzz: 1000000)
#   run.sh --smoke    a short run each (make test): FUZZ_SMOKE_RUNS executions
#                     or FUZZ_SMOKE_SECS seconds, whichever ends first
# Prints "ok - NAME: R runs in S s, 0 crashes" per harness, "not ok" on a crash
# (the crashing input is saved as tests/fuzz/crash-*).
cd "$(dirname "$0")/../.." || exit 2
runs=${FUZZ_RUNS:-1000000}
secs=0 # libFuzzer's -max_total_time: 0 is no limit
if [ "$1" = "--smoke" ]; then
	runs=${FUZZ_SMOKE_RUNS:-20000}
	secs=${FUZZ_SMOKE_SECS:-8}
fi
out=${FUZZ_BUILD:-build-fuzz}
CC=${FUZZ_CC:-clang}
if ! command -v "$CC" >/dev/null 2>&1; then
	echo "not ok - fuzz: $CC not found (apt-get install clang)"
	exit 1
fi
PKGS="ncursesw readline libcmark json-c"
FLAGS="-std=c11 -g -O1 -D_GNU_SOURCE -Isrc -DMPTUTOR_VERSION=\"fuzz\" -DMPTUTOR_DATADIR=\"/nonexistent\" -pthread $(pkg-config --cflags $PKGS)"
SAN="-fsanitize=address,undefined -fno-sanitize-recover=undefined"
mkdir -p "$out/obj" || exit 2
status=0
# the library: every folder of src/ but the front ends (curses, readline)
objs=""
stale=""
for src in $(ls src/*/*.c | grep -v -e '^src/ui/' -e '^src/repl/'); do
	o="$out/obj/$(echo "$src" | tr / _).o"
	# rebuilt when its source, this script or any header is newer (no -MMD here)
	if [ ! -f "$o" ] || [ "$src" -nt "$o" ] || [ "$0" -nt "$o" ] ||
		[ -n "$(find src -name '*.h' -newer "$o" | head -n 1)" ]; then
		stale="$stale $src"
	fi
	objs="$objs $o"
done
# the stale ones compiled on every core
export CC FLAGS SAN out
if [ -n "$stale" ] && ! printf '%s\n' $stale | xargs -P "$(nproc 2>/dev/null || echo 1)" -n 1 sh -c \
	'$CC $FLAGS $SAN -fsanitize=fuzzer-no-link -c -o "$out/obj/$(echo "$1" | tr / _).o" "$1" || { echo "not ok - fuzz: cannot build $1"; exit 255; }' _; then
	exit 1
fi
for h in tests/fuzz/fuzz_*.c; do
	name=$(basename "$h" .c)
	corpus=tests/fuzz/corpus/${name#fuzz_}
	bin="$out/$name"
	$CC $FLAGS $SAN -fsanitize=fuzzer -o "$bin" "$h" $objs $(pkg-config --libs $PKGS) -lm \
		|| { echo "not ok - $name: does not build"; status=1; continue; }
	work=$(mktemp -d)
	t0=$(date +%s)
	if "$bin" -runs="$runs" -max_total_time="$secs" -max_len=4096 -timeout=10 -rss_limit_mb=2048 \
		-artifact_prefix=tests/fuzz/ -print_final_stats=1 "$work" "$corpus" >"$work.log" 2>&1; then
		t1=$(date +%s)
		done_runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$work.log" | tail -1)
		echo "ok - $name: ${done_runs:-$runs} runs in $((t1 - t0)) s, 0 crashes"
	else
		echo "not ok - $name: crashed (input saved under tests/fuzz/)"
		grep -E 'ERROR|SUMMARY|runtime error' "$work.log" | head -5 | sed 's/^/#   /'
		status=1
	fi
	rm -rf "$work" "$work.log"
done
exit $status
