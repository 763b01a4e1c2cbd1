#!/bin/sh
# 05-install.sh — `make install PREFIX=P` as the README says it: the binary,
# the lessons, their glossary, exercises and demos, and the man page land under
# P, and the installed binary finds
# its lessons from any directory, and the Python side of the py-* backends
# lands beside them. A second install to another PREFIX must
# rebuild, since the lesson directory is compiled in; `make uninstall`
# removes what install put there. Built in a copy of the tree, so the
# ./mptutor the other tests use is left alone.
. tests/regress/lib.sh

if [ -n "$SANITIZER" ]; then
	finish # it builds its own plain copy: once, in the plain stage, is enough
fi

src=$TEST_TMP/src
mkdir -p "$src"
cp -R Makefile src lessons assets "$src"/

nl=$(ls lessons/[0-9]*.md | wc -l) # the course's lessons
ne=$(ls -d lessons/exercises/[0-9]*/ | wc -l)
install_to() { make -C "$src" -s -j"$(nproc 2>/dev/null || echo 2)" install PREFIX="$1" >"$TEST_TMP/make.out" 2>&1; }

check "make install PREFIX=P succeeds" install_to "$TEST_TMP/p1"
check "the binary, the $nl lessons and the man page are under P" sh -c \
	'test -x "$1/bin/mptutor" && test "$(ls "$1"/share/mptutor/lessons/[0-9]*.md | wc -l)" -eq "$2" && test -f "$1/share/man/man1/mptutor.1"' _ "$TEST_TMP/p1" "$nl"
check "the Python side of the py-* backends is under P" sh -c \
	'test -f "$1/share/mptutor/python/mptutor_py.py" && test -f "$1/share/mptutor/python/mptutor_tasks.py"' _ "$TEST_TMP/p1"
n=$(cd / && "$TEST_TMP/p1/bin/mptutor" lessons 2>&1 | grep -c 'pages')
check "the installed binary, run from /, finds its $nl lessons ($n)" test "$n" -eq "$nl"
check "and its glossary" sh -c 'cd / && "$1/bin/mptutor" glossary GIL | grep -q "interpreter lock"' _ "$TEST_TMP/p1"
n=$(cd / && XDG_STATE_HOME=$TEST_TMP/st "$TEST_TMP/p1/bin/mptutor" exercise 2>&1 | grep -Ec '^ *[0-9]+  [A-Za-z_]')
check "and its $ne exercises ($n)" test "$n" -eq "$ne"
check "and the demos the lessons run" test -f "$TEST_TMP/p1/share/mptutor/lessons/demos/pool_sleep.py"

check "make install to a second PREFIX succeeds" install_to "$TEST_TMP/p2"
rm -rf "$TEST_TMP/p1"
n=$(cd / && "$TEST_TMP/p2/bin/mptutor" lessons 2>&1 | grep -c 'pages')
check "the second install finds its lessons under its own PREFIX ($n)" test "$n" -eq "$nl"

make -C "$src" -s uninstall PREFIX="$TEST_TMP/p2" >/dev/null 2>&1
check "make uninstall removes the binary, lessons and man page" sh -c \
	'! test -e "$1/bin/mptutor" && ! test -e "$1/share/mptutor" && ! test -e "$1/share/man/man1/mptutor.1"' _ "$TEST_TMP/p2"
finish
