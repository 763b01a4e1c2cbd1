#!/bin/sh
# 07-pictures.sh — the svg and png formats with the real binary: a compare
# as a 1920x1080 PNG (its signature and IHDR read back), as an SVG that
# Python's XML parser reads (root size, the screen's words in <desc>), even
# in the C locale; a picture without -o FILE, or to a terminal, refused with
# exit 2 before the map; a Process demo refused as a picture.
. tests/regress/lib.sh

P=$TEST_TMP/compare.png
S=$TEST_TMP/compare.svg

# png_size FILE: "WIDTHxHEIGHT" from a PNG's IHDR, or nothing if it is not one.
png_size() {
	python3 -c '
import struct, sys
b = open(sys.argv[1], "rb").read(24)
if b[:8] == b"\x89PNG\r\n\x1a\n" and b[12:16] == b"IHDR":
    print("%dx%d" % struct.unpack(">II", b[16:24]))' "$1"
}

expect_status 0 "compare primes 8x100000 -w 2 --format png -o F exits 0" \
	"$MPTUTOR" compare primes 8x100000 -w 2 --format png -o "$P"
check "--format png -o F: nothing on stdout" test ! -s "$TEST_TMP/out"
check "--format png: a PNG of 1920x1080" test "$(png_size "$P")" = 1920x1080

expect_status 0 "compare primes 8x100000 -w 2 --format svg -o F exits 0" \
	"$MPTUTOR" compare primes 8x100000 -w 2 --format svg -o "$S"
check "--format svg: XML with a 1920x1080 px root, the title and results in its text" python3 -c '
import sys, xml.dom.minidom
d = xml.dom.minidom.parse(sys.argv[1])
r = d.documentElement
assert r.tagName == "svg" and r.getAttribute("width") == "1920px" and r.getAttribute("height") == "1080px"
title = d.getElementsByTagName("title")[0].firstChild.data
desc = d.getElementsByTagName("desc")[0].firstChild.data
assert title.startswith("mptutor: compare primes 8 items"), title
for w in ("serial baseline", "process", "thread", "gil", "speedup", "[9592, 9592", "legend"):
    assert w in desc, w
' "$S"
check "--format svg: the legend names the colours of the 2 workers, not of 6" python3 -c '
import sys, xml.dom.minidom
desc = xml.dom.minidom.parse(sys.argv[1]).getElementsByTagName("desc")[0].firstChild.data
legend = [l for l in desc.splitlines() if l.lstrip().startswith("legend")][0]
assert legend.rstrip().endswith("w0 w1"), legend
' "$S"

LC_ALL=C LANG=C "$MPTUTOR" run primes 4x1000 -w 2 -b gil --format svg -o "$S"
check "--format svg in the C locale: the glyphs are still UTF-8 box drawing" \
	python3 -c 'import sys; t = open(sys.argv[1], encoding="utf-8").read(); d = t.split("<desc>")[1]; assert "\u250c gil" in d and "\u2588" in d' "$S"

expect_status 2 "compare --format png without -o exits 2" "$MPTUTOR" compare primes 8x1000 -w 2 --format png
check "--format png without -o: says it needs -o FILE" grep -q "needs -o FILE" "$TEST_TMP/err"
check "--format png without -o: nothing on stdout" test ! -s "$TEST_TMP/out"
expect_status 2 "run --format svg without -o exits 2" "$MPTUTOR" run square 1..5 --format svg
expect_status 2 "process --format png exits 2 (a picture draws runs)" \
	"$MPTUTOR" process hello --format png -o "$P.proc"
check "process --format png: names the formats that can" grep -q "cannot write a process report" "$TEST_TMP/err"
"$MPTUTOR" run square 1..5 --format png -o - | python3 -c 'import sys; assert sys.stdin.buffer.read()[:8] == b"\x89PNG\r\n\x1a\n"'
check "run --format png -o - into a pipe: a PNG" test $? -eq 0

# to a terminal: refused before the map
if command -v tmux >/dev/null 2>&1; then
	tmux -L "$TMUX_SOCK" new-session -d -x 120 -y 40 \
		"'$MPTUTOR' run square 1..5 --format png -o -; echo \"exit=\$?\"; sleep 5"
	sleep 1
	screen=$(tmux -L "$TMUX_SOCK" capture-pane -p)
	check "--format png -o - on a terminal: refused, exit 2" sh -c \
		"echo \"\$1\" | grep -q 'would write a picture to the terminal' && echo \"\$1\" | grep -q 'exit=2'" \
		sh "$screen"
fi
exit $TESTS_FAILED
