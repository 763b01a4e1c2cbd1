#!/bin/sh
# bench_memory.sh — what a 1,000,000-item map costs in memory and time through
# the whole program (engine, session, report): max RSS of `compare square
# 1..1000000` (goal < 200 MB) and what it adds an item over a compare of one
# item (four rows kept, the last one's arena at its peak), and wall seconds
# and max RSS of `run square 1..1000000 -c 1 --json` (goal <= 1 s and <= 150
# MB), each beside its figure before a snapshot packed its items into 16-byte
# records and a compare kept its items once ("was"). Best of REPS; printed,
# not asserted: machines are noisy. The "was" figures: the build before,
# measured beside this one on a shared 2-core machine (2026-12-02).
#   MPTUTOR=./mptutor  REPS=3
MPTUTOR=${MPTUTOR:-./mptutor}
REPS=${REPS:-3}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM

if [ ! -x /usr/bin/time ]; then
	echo "bench_memory: needs /usr/bin/time (GNU time) for max RSS; skipped"
	exit 0
fi

# best ARGS...: "WALL_S MAX_KB", the least of each over REPS runs of mptutor ARGS
best() {
	bw=; bm=
	for r in $(seq "$REPS"); do
		/usr/bin/time -f '%e %M' -o "$tmp/t" "$MPTUTOR" "$@" >/dev/null 2>&1
		set -- "$@"
		read -r w m <"$tmp/t" || continue
		if [ -z "$bw" ] || [ "$(echo "$w < $bw" | bc)" = 1 ]; then bw=$w; fi
		if [ -z "$bm" ] || [ "$m" -lt "$bm" ]; then bm=$m; fi
	done
	echo "$bw $bm"
}

echo "bench_memory: best of $REPS"
set -- $(best compare square 1)
one=$2
set -- $(best compare square 1..1000000)
printf '  compare square 1..1000000: %.0f MB max RSS (goal < 200; was 284)  [%.2f s]\n' \
	"$(echo "$2 / 1024" | bc -l)" "$1"
printf '    %.0f bytes an item at its peak over a compare of 1 item (was 292)\n' \
	"$(echo "($2 - $one) * 1024 / 1000000" | bc -l)"
set -- $(best compare square 1..1000000 -b serial)
printf '    of which one row (-b serial): %.0f MB (was 120)\n' "$(echo "$2 / 1024" | bc -l)"
set -- $(best run square 1..1000000 -c 1 --json)
printf '  run square 1..1000000 -c 1 --json: %.2f s (goal <= 1; was 0.62), %.0f MB max RSS (goal <= 150; was 120)\n' \
	"$1" "$(echo "$2 / 1024" | bc -l)"
