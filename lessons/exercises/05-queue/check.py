"""Checker of exercise 5: collect() gets every (n, n*n) back from the children."""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import checklib  # noqa: E402
from checklib import NotYet  # noqa: E402


def check(d):
    got = checklib.call(d, "r = solution.collect(list(range(1, 9))); "
                           "_report({'r': {str(k): v for k, v in dict(r).items()}, 's': _starts[0]})", 30)
    want = {str(n): n * n for n in range(1, 9)}
    if got["r"] != want:
        raise NotYet("collect(1..8) gave %s; the children's results must come back on "
                     "a Queue" % (got["r"] or "{}"))
    if got["s"] < 2:
        raise NotYet("right results, but only %d process started: one per item" % got["s"])
    return "all 8 results came back from %d processes" % got["s"], {"processes": got["s"]}


checklib.main(check)
