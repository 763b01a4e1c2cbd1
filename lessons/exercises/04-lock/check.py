"""Checker of exercise 4: count(4, 20000) exact three times, under a lock."""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import checklib  # noqa: E402
from checklib import NotYet  # noqa: E402


def check(d):
    got = checklib.call(d, "_report([solution.count(4, 20000) for _ in range(3)])", 60)
    lost = [80000 - g for g in got]
    if any(lost):
        raise NotYet("counts %s of 80000: %d updates lost; hold a lock across the read "
                     "and the write" % (got, max(lost)))
    src = open(os.path.join(d, "solution.py")).read()
    if "get_lock" not in src and "Lock(" not in src:
        raise NotYet("the counts were right this time, but nothing in the file takes a "
                     "lock: counter.value += 1 can still lose updates")
    return "80000 of 80000, three times", {"counts": got}


checklib.main(check)
