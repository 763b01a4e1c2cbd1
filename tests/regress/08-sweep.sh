#!/bin/sh
# 08-sweep.sh — the sweep command with the real binary: its JSON keys (a
# point per worker count, the baseline at 1 worker, the fit), the CSV's
# rows, a bad -w refused with exit 2 naming what is allowed, the chart as a
# PNG of 1920x1080 (its IHDR), and the tutor drawing the chart live in tmux
# at 120x40 and at 80x24 (ASCII).
. tests/regress/lib.sh

J=$TEST_TMP/sweep.json
expect_status 0 "sweep spin 4x20 -w 1..3 --json exits 0" "$MPTUTOR" sweep spin 4x20 -w 1..3 --json
cp "$TEST_TMP/out" "$J"
jq_true "json: task, items, workers, cpus, points, curves, baseline, fit" "$J" \
	'all(k in j for k in ("task", "items", "workers", "cpus", "points", "curves", "baseline", "fit"))'
jq_true "json: a point per worker count, each with wall, cpu, speedup and efficiency" "$J" \
	'[p["workers"] for p in j["points"]] == [1, 2, 3] and all(p["wall_s"] > 0 and p["cpu_s"] > 0 and p["speedup"] > 0 and p["efficiency"] > 0 for p in j["points"])'
jq_true "json: the baseline is process at 1 worker, speedup 1" "$J" \
	'j["baseline"]["backend"] == "process" and j["baseline"]["workers"] == 1 and j["points"][0]["baseline"] and j["points"][0]["speedup"] == 1.0'
jq_true "json: points past the CPUs are marked oversubscribed" "$J" \
	'all(p["oversubscribed"] == (p["workers"] > j["cpus"]) for p in j["points"])'
jq_true "json: a fit with its serial fraction and error, or why none" "$J" \
	'(j["fit"]["ok"] and 0 <= j["fit"]["serial_fraction"] <= 1 and j["fit"]["serial_fraction_se"] >= 0 and j["fit"]["error"].startswith("standard error")) or (not j["fit"]["ok"] and j["fit"]["why"].startswith("no fit"))'

expect_status 0 "sweep -b process,thread -w 2,3: serial runs as the baseline" \
	"$MPTUTOR" sweep spin 4x10 -w 2,3 -b process,thread --json
jq_true "json: no 1-worker point, so speedups are against serial" "$TEST_TMP/out" \
	'j["points"][0]["backend"] == "serial" and [c["baseline"]["backend"] for c in j["curves"]] == ["serial", "serial", "serial"]'

expect_status 0 "sweep --format csv exits 0" "$MPTUTOR" sweep spin 4x10 -w 1..3 --format csv
check "csv: a point row per worker count and a fit row" python3 -c '
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], newline="")))
pts = [r for r in rows if r["record"] == "point"]
fits = [r for r in rows if r["record"] == "fit"]
assert [r["workers"] for r in pts] == ["1", "2", "3"], pts
assert len(fits) == 1 and fits[0]["baseline"] == "process at 1 worker", fits
' "$TEST_TMP/out"

expect_status 0 "sweep text exits 0" "$MPTUTOR" sweep spin 4x10 -w 1..3
check "text: the fit or why none, in words" grep -qE "serial fraction|no fit" "$TEST_TMP/out"
check "text: the baseline named" grep -q "speedup against process at 1 worker" "$TEST_TMP/out"

for w in 0..3 3..1 x 1,,2 1..5000; do
	expect_status 2 "sweep -w $w refused" "$MPTUTOR" sweep spin 4x10 -w "$w"
	check "sweep -w $w: the message names -w and what is allowed" \
		grep -q "workers.*allowed: worker counts 1..1024 as N, A..B or a comma list" "$TEST_TMP/err"
done
expect_status 2 "sweep --repeat refused" "$MPTUTOR" sweep spin --repeat 2
expect_status 2 "sweep crash -b thread refused" "$MPTUTOR" sweep crash -b thread

P=$TEST_TMP/sweep.png
expect_status 0 "sweep --format png -o F exits 0" "$MPTUTOR" sweep spin 4x20 -w 1..3 --format png -o "$P"
check "png: a 1920x1080 PNG" test "$(python3 -c '
import struct, sys
b = open(sys.argv[1], "rb").read(24)
if b[:8] == b"\x89PNG\r\n\x1a\n" and b[12:16] == b"IHDR":
    print("%dx%d" % struct.unpack(">II", b[16:24]))' "$P")" = 1920x1080
S=$TEST_TMP/sweep.svg
expect_status 0 "sweep --format svg -o F exits 0" "$MPTUTOR" sweep spin 4x20 -w 1..3 --format svg -o "$S"
check "svg: parsed, the fit in its words" python3 -c '
import sys, xml.dom.minidom
d = xml.dom.minidom.parse(sys.argv[1])
desc = d.getElementsByTagName("desc")[0].firstChild.data
assert "sweep spin" in desc and "process:" in desc, desc
' "$S"
expect_status 2 "sweep --format png without -o refused" "$MPTUTOR" sweep spin --format png

# the tutor: the chart grows a point at a time, then the fit in words
tmux_start 120 40 "$MPTUTOR"
wait_for "mptutor>" 5
tmux_keys "sweep spin 4x100 -w 1..3" Enter
check "tutor: the chart's box while the sweep goes" wait_for "sweep spin" 5
check "tutor: the ideal line and the workers axis" sh -c 'sleep 0.3; tmux -L "$0" capture-pane -p -t t | grep -q "ideal" && tmux -L "$0" capture-pane -p -t t | grep -q "workers"' "$TMUX_SOCK"
check "tutor 120x40: all 3 points measured" wait_for "3/3" 20
check "tutor 120x40: the fit in words (or why none)" sh -c 'tmux -L "$0" capture-pane -p -t t | grep -qE "process: (serial fraction|no fit)"' "$TMUX_SOCK"
check "tutor 120x40: the CPUs marked" wait_for "CPUs" 2
tmux_screen >"$TEST_TMP/screen120"
tmux_stop

tmux_start 80 24 "$MPTUTOR" --ascii
wait_for "mptutor>" 5
tmux_keys "sweep spin 4x50 -w 1..3" Enter
check "tutor 80x24 ascii: all 3 points" wait_for "3/3" 20
check "tutor 80x24 ascii: the legend in ASCII" wait_for "* process" 2
check "tutor 80x24 ascii: nothing but ASCII on the chart" sh -c '! tmux -L "$0" capture-pane -p -t t | LC_ALL=C grep -q "[^ -~]"' "$TMUX_SOCK"
tmux_stop
finish
