"""Checker of exercise 7: one entry per item, failures as "error: MESSAGE"."""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import checklib  # noqa: E402
from checklib import NotYet  # noqa: E402


WANT = [1, 4, "error: negative: -3", 16, "error: negative: -5", 36]


def check(d):
    try:
        got = checklib.call(d, "_report(solution.safe_results([1, 2, -3, 4, -5, 6]))", 30)
    except NotYet as e:
        raise NotYet("safe_results raised instead of returning: %s" % e)
    if got != WANT:
        raise NotYet("safe_results gave %r, not %r" % (got, WANT))
    return "every good result kept and both failures reported", {}


checklib.main(check)
