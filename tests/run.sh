#!/bin/sh
# tests/run.sh — runs every test and ends with one line "N passed, N failed".
#
# Unit tests are the cmocka binaries in $BUILD/tests/; their own summary lines
# are counted. Regress tests are tests/regress/*.sh; each prints TAP-style
# "ok - what" / "not ok - what" lines, which are counted. A test program that
# dies or times out without a summary counts as one failure.
#   --unit-only        only the unit binaries
#   --match REGEX      only tests whose file name matches
BUILD=${BUILD:-build}
MPTUTOR=${MPTUTOR:-./mptutor}
export MPTUTOR BUILD
unit_only=0
match=.
while [ $# -gt 0 ]; do
	case $1 in
	--unit-only) unit_only=1 ;;
	--match) shift; match=$1 ;;
	*) echo "tests/run.sh: unknown option $1 (allowed: --unit-only, --match REGEX)" >&2; exit 2 ;;
	esac
	shift
done

passed=0
failed=0
log=$(mktemp)
trap 'rm -f "$log"' EXIT INT TERM

count() { # name, exit status: read counts from $log
	p=$(sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' "$log" | tail -1)
	f=$(sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p' "$log" | tail -1)
	tp=$(grep -c '^ok ' "$log")
	tf=$(grep -c '^not ok ' "$log")
	p=$(( ${p:-0} + tp ))
	f=$(( ${f:-0} + tf ))
	if [ "$2" -ne 0 ] && [ "$f" -eq 0 ]; then
		f=1
		echo "FAIL $1: exited with status $2 and no failed test named"
		tail -20 "$log" | sed 's/^/    /'
	fi
	if [ "$f" -gt 0 ]; then
		grep -E '^not ok |^\[  FAILED  \] |^\[  ERROR   \]' "$log" | sed "s|^|    $1: |"
	fi
	passed=$((passed + p))
	failed=$((failed + f))
	printf '%-40s %4d passed, %d failed\n' "$1" "$p" "$f"
}

for t in "$BUILD"/tests/test_*; do
	[ -x "$t" ] || continue
	name=$(basename "$t")
	echo "$name" | grep -Eq "$match" || continue
	CMOCKA_MESSAGE_OUTPUT=STDOUT timeout 600 "$t" >"$log" 2>&1
	count "$name" $?
done

if [ $unit_only -eq 0 ]; then
	for t in tests/regress/[0-9]*.sh; do
		[ -f "$t" ] || continue
		name=$(basename "$t")
		echo "$name" | grep -Eq "$match" || continue
		timeout 900 sh "$t" </dev/null >"$log" 2>&1
		count "$name" $?
	done
fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
