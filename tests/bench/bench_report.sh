#!/bin/sh
# bench_report.sh — the cost of a large report: `run square 1..N -c 1` written
# as json, csv and chrome to /dev/null beside the bare map (--format text,
# which does not list the results), wall seconds and peak RSS of each. The
# json and csv writers stream (goal: <= 1 s and <= 150 MB at N = 1,000,000);
# figures are printed, not asserted: machines are noisy.
#   MPTUTOR=./mptutor  N=1000000  REPS=3  FORMATS="text json csv chrome"
MPTUTOR=${MPTUTOR:-./mptutor}
N=${N:-1000000}
REPS=${REPS:-3}
FORMATS=${FORMATS:-text json csv chrome}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM

# measure FORMAT: "WALL_S PEAK_KB" of one run
measure() {
	if [ -x /usr/bin/time ]; then
		/usr/bin/time -f '%e %M' -o "$tmp/t" "$MPTUTOR" run square "1..$N" -c 1 \
			--format "$1" -o /dev/null >/dev/null 2>&1
		tail -1 "$tmp/t"
	else # no time(1): the wall from date, the peak from /proc's VmHWM
		s=$(date +%s.%N)
		"$MPTUTOR" run square "1..$N" -c 1 --format "$1" -o /dev/null >/dev/null 2>&1 &
		pid=$!
		hwm=0
		while kill -0 $pid 2>/dev/null; do
			h=$(awk '/^VmHWM/ {print $2}' /proc/$pid/status 2>/dev/null)
			[ -n "$h" ] && hwm=$h
			sleep 0.02
		done
		wait $pid
		e=$(date +%s.%N)
		echo "$(echo "$e - $s" | bc) $hwm"
	fi
}

echo "bench_report: run square 1..$N -c 1 -o /dev/null, best of $REPS (wall s, peak RSS MB)"
for f in $FORMATS; do
	best_w=; best_m=
	for r in $(seq "$REPS"); do
		set -- $(measure "$f")
		if [ -z "$best_w" ] || [ "$(echo "$1 < $best_w" | bc)" = 1 ]; then best_w=$1; fi
		if [ -z "$best_m" ] || [ "$2" -lt "$best_m" ]; then best_m=$2; fi
	done
	printf '  %-7s wall %6.2f s   peak %6.1f MB\n' "$f" "$best_w" "$(echo "$best_m / 1024" | bc -l)"
done
