#!/bin/sh
# 24-page-fit.sh — pages on 80x24: `lessons --check` warns, at the block's
# line, of a page whose runnable block falls below the tutor's lesson pane
# (its layout at 80x24: 19 rows of 28 columns), without failing the check;
# the tutor at 80x24 marks where more text is (↓ more (PgDn), ↑ more (PgUp))
# and PgDn/PgUp scroll; `lessons` shows the minutes a line gives.
. tests/regress/lib.sh
FIX=$(pwd)/tests/fixtures/course-fit
export MPTUTOR_LESSONS="$FIX"
run_line=$(grep -n '^```mptutor' "$FIX/01-long-page.md" | head -1 | cut -d: -f1)

expect_status 0 "--check passes: a page that does not fit is a warning" "$MPTUTOR" lessons --check
check "the long page is named at its runnable block's line ($run_line)" \
	grep -q "01-long-page.md:$run_line: warning: page 1 does not fit 80x24: its runnable block ends on row [0-9]* of the lesson pane, which shows 19 rows of 28 columns" "$TEST_TMP/out"
check "the short page is not" sh -c "! grep -q 'page 2 does not fit' '$TEST_TMP/out'"
check "the count of pages that do not fit" grep -q '1 page does not fit 80x24' "$TEST_TMP/err"

expect_status 0 "lessons lists the course" "$MPTUTOR" lessons
check "with the minutes its line gives" grep -q '^ 1  A long page   2 pages    3 min$' "$TEST_TMP/out"

tmux_start 80 24 "$MPTUTOR --lesson 1"
# the tutor scrolls the next runnable block into view: the page's top is above
check "the tutor at 80x24 shows the runnable block" wait_for "▶ run square 1..4 -w 2" 5
check "and marks that more is above" wait_for "↑ more" 3
tmux_keys PPage PPage PPage PPage PPage PPage PPage PPage PPage PPage PPage PPage
check "PgUp scrolls to the page's top" wait_for "Line 1 of a page" 3
check "and marks that more is below" wait_for "↓ more" 3
check "the page's top has nothing above" sh -c "! tmux -L $TMUX_SOCK capture-pane -p -t t | grep -q '↑'"
tmux_keys NPage
check "PgDn scrolls down" sh -c "sleep 0.5; ! tmux -L $TMUX_SOCK capture-pane -p -t t | grep -q 'Line 1 of a page'"
check "with more both ways" wait_for "↑↓ more" 3
tmux_keys q
check "quit" wait_for "EXITED-0" 5
tmux_stop
finish
