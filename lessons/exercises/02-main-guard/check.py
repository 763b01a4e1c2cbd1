"""Checker of exercise 2: runs as a script under spawn, does nothing on import."""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import checklib  # noqa: E402
from checklib import NotYet  # noqa: E402


def check(d):
    rc, out, err, timed_out = checklib.run(d, ["solution.py"], 10)
    if timed_out:
        raise NotYet("run as a script it did not finish in 10 s: the spawned workers "
                     "import the file and run its top level again (the __main__ guard)")
    if rc != 0:
        last = [l for l in err.splitlines() if l.strip()]
        raise NotYet("run as a script it failed (exit %d)%s" % (rc, ": " + last[-1] if last else ""))
    if "[1, 4, 9, 16, 25]" not in out:
        raise NotYet("run as a script it printed %r, not [1, 4, 9, 16, 25]" % out.strip()[:200])
    got = checklib.call(d, "_report(_starts[0])", 15)
    if got != 0:
        raise NotYet("importing it started %d processes: the pool must run only under "
                     "if __name__ == '__main__'" % got)
    return "it runs as a program and is safe to import", {}


checklib.main(check)
