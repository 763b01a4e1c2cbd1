#!/bin/sh
# 05-install.sh — `make install PREFIX=P` as the README says it: the binary,
# the lessons and the man page land under P, and the installed binary finds
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

install_to() { make -C "$src" -s install PREFIX="$1" >"$TEST_TMP/make.out" 2>&1; }

check "make install PREFIX=P succeeds" install_to "$TEST_TMP/p1"
check "the binary, 11 lessons and the man page are under P" sh -c \
	'test -x "$1/bin/mptutor" && test "$(ls "$1"/share/mptutor/lessons/[0-9]*.md | wc -l)" -eq 11 && test -f "$1/share/man/man1/mptutor.1"' _ "$TEST_TMP/p1"
check "the Python side of the py-* backends is under P" sh -c \
	'test -f "$1/share/mptutor/python/mptutor_py.py" && test -f "$1/share/mptutor/python/mptutor_tasks.py"' _ "$TEST_TMP/p1"
n=$(cd / && "$TEST_TMP/p1/bin/mptutor" lessons 2>&1 | grep -c 'pages')
check "the installed binary, run from /, finds its 11 lessons ($n)" test "$n" -eq 11

check "make install to a second PREFIX succeeds" install_to "$TEST_TMP/p2"
rm -rf "$TEST_TMP/p1"
n=$(cd / && "$TEST_TMP/p2/bin/mptutor" lessons 2>&1 | grep -c 'pages')
check "the second install finds its lessons under its own PREFIX ($n)" test "$n" -eq 11

make -C "$src" -s uninstall PREFIX="$TEST_TMP/p2" >/dev/null 2>&1
check "make uninstall removes the binary, lessons and man page" sh -c \
	'! test -e "$1/bin/mptutor" && ! test -e "$1/share/mptutor" && ! test -e "$1/share/man/man1/mptutor.1"' _ "$TEST_TMP/p2"
finish
