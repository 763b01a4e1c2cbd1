#!/bin/sh
# tests/run.sh — runs every test and ends with one line "N passed, N failed".
#
# Stages (STAGES, default "plain"; `make test` runs all four):
#   plain     the cmocka unit binaries in $BUILD/tests/ and tests/regress/NN-*.sh
#             on ./mptutor
#   asan      the same on the ASan+UBSan build (build-asan/)
#   tsan      the thread, GIL, engine and py-* backend unit tests on the TSan build (build-tsan/)
#   valgrind  the headless commands under valgrind (tests/regress/valgrind.sh),
#             and the CLI and bad-input regress scripts with mptutor under memcheck
# QUICK=1 (make test) leaves out of the asan stage the regress scripts that
# mostly wait on Python, the course or an install (ASAN_SLOW), and out of
# valgrind the scripts under memcheck; make asan-test and valgrind-test run all.
# Unit binaries' own cmocka summary lines are counted; regress scripts print
# TAP-style "ok - what" / "not ok - what" lines, which are counted. A test
# program that dies or times out without naming a failure counts as one.
#   --unit-only        only the unit binaries
#   --match REGEX      only tests whose file name matches
BUILD=${BUILD:-build}
MPTUTOR=${MPTUTOR:-./mptutor}
STAGES=${STAGES:-plain}
export BUILD
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

# the regress scripts QUICK=1 leaves to the plain stage: their time goes to
# Python, the course's runs and a copy of the build, not to our C under ASan
ASAN_SLOW='^(04-process|05-install|22-plain|23-lessons|30-faults|51-python|52-python|65-exercise)'

passed=0
failed=0
log=$(mktemp)
fails=$(mktemp)
trap 'rm -f "$log" "$fails"' EXIT INT TERM

count() { # name, exit status: read counts from $log
	p=$(sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' "$log" | tail -1)
	f=$(sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p' "$log" | tail -1)
	tp=$(grep -c '^ok ' "$log")
	tf=$(grep -c '^not ok ' "$log")
	p=$(( ${p:-0} + tp ))
	f=$(( ${f:-0} + tf ))
	if [ "$2" -ne 0 ] && [ "$f" -eq 0 ]; then
		f=1
		{
			echo "FAIL $1: exited with status $2 and no failed test named"
			tail -20 "$log" | sed 's/^/    /'
		} | tee -a "$fails"
	fi
	if [ "$f" -gt 0 ]; then
		grep -E '^not ok |^\[  FAILED  \] |^\[  ERROR   \]|^#' "$log" | head -30 | sed "s|^|    $1: |" | tee -a "$fails"
	fi
	passed=$((passed + p))
	failed=$((failed + f))
	secs=$(( $(date +%s) - t0 ))
	printf '%-44s %4d passed, %d failed  %4ds\n' "$1" "$p" "$f" "$secs"
}

# units PREFIX DIR [REGEX]: run the unit binaries in DIR
units() {
	for t in "$2"/test_*; do
		[ -x "$t" ] || continue
		name=$(basename "$t")
		echo "$name" | grep -Eq "$match" || continue
		[ -z "$3" ] || echo "$name" | grep -Eq "$3" || continue
		t0=$(date +%s)
		CMOCKA_MESSAGE_OUTPUT=STDOUT timeout 600 "$t" >"$log" 2>&1
		count "$1$name" $?
	done
}

# regress PREFIX BINARY [SKIP-REGEX]: run tests/regress/NN-*.sh on BINARY
regress() {
	[ $unit_only -eq 0 ] || return 0
	for t in tests/regress/[0-9]*.sh; do
		[ -f "$t" ] || continue
		name=$(basename "$t")
		echo "$name" | grep -Eq "$match" || continue
		[ -z "$3" ] || ! echo "$name" | grep -Eq "$3" || continue
		t0=$(date +%s)
		MPTUTOR=$2 timeout 900 sh "$t" </dev/null >"$log" 2>&1
		count "$1$name" $?
	done
}

for stage in $STAGES; do
	case $stage in
	plain)
		units "" "$BUILD/tests"
		regress "" "$MPTUTOR"
		;;
	asan)
		# the fuzz smoke run is an ASan build already; faults get fewer trials
		export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 LSAN_OPTIONS=suppressions=$(pwd)/tests/lsan.supp UBSAN_OPTIONS=print_stacktrace=1 SANITIZER=asan
		FAULT_TRIALS=${ASAN_FAULT_TRIALS:-10}; export FAULT_TRIALS
		units "asan/" build-asan/tests
		if [ "${QUICK:-0}" = 1 ]; then
			regress "asan/" build-asan/mptutor "^40-fuzz|$ASAN_SLOW"
		else
			regress "asan/" build-asan/mptutor '^40-fuzz'
		fi
		unset SANITIZER FAULT_TRIALS
		;;
	tsan)
		TSAN_OPTIONS=halt_on_error=1 SANITIZER=tsan; export TSAN_OPTIONS SANITIZER
		units "tsan/" build-tsan/tests 'thread|gil|engine|tasks|demo|pybackend'
		unset SANITIZER
		;;
	valgrind)
		[ $unit_only -eq 0 ] || continue
		t0=$(date +%s)
		MPTUTOR=$MPTUTOR timeout 900 sh tests/regress/valgrind.sh </dev/null >"$log" 2>&1
		count "valgrind/headless commands" $?
		[ "${QUICK:-0}" = 1 ] && continue
		# the headless regress scripts with every mptutor under memcheck (the
		# ones about signals and process states are left out: valgrind itself
		# changes how a process is named, stopped and signalled)
		if command -v valgrind >/dev/null 2>&1; then
			vgw=$(mktemp)
			case $MPTUTOR in /*) bin=$MPTUTOR ;; *) bin=$(pwd)/$MPTUTOR ;; esac
			printf '#!/bin/sh\nexec valgrind -q --error-exitcode=99 --leak-check=full --show-leak-kinds=definite,indirect --errors-for-leak-kinds=definite,indirect --child-silent-after-fork=yes %s "$@"\n' "$bin" >"$vgw"
			chmod +x "$vgw"
			for t in tests/regress/01-cli.sh tests/regress/02-bad-input.sh; do
				name=$(basename "$t")
				echo "$name" | grep -Eq "$match" || continue
				t0=$(date +%s)
				MPTUTOR=$vgw timeout 900 sh "$t" </dev/null >"$log" 2>&1
				count "valgrind/$name" $?
			done
			rm -f "$vgw"
		fi
		;;
	*)
		echo "tests/run.sh: unknown stage $stage (allowed: plain asan tsan valgrind)" >&2
		exit 2
		;;
	esac
done

# the failures again, last, where a log cut to its tail still shows them
if [ -s "$fails" ]; then
	echo "failed:"
	cat "$fails"
fi
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
