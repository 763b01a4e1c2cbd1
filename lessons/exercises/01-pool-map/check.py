"""Checker of exercise 1: squares(items) right, computed by worker processes."""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import checklib  # noqa: E402
from checklib import NotYet  # noqa: E402


def check(d):
    got = checklib.call(d, "_report({'r': solution.squares(list(range(1, 21))), 's': _starts[0]})", 20)
    want = [n * n for n in range(1, 21)]
    if got["r"] != want:
        raise NotYet("squares(1..20) gave %r, not %r" % (got["r"], want))
    if got["s"] < 1:
        raise NotYet("the results are right but no worker process was started: use a Pool")
    return "right results from %d worker processes" % got["s"], {"processes": got["s"]}


checklib.main(check)
