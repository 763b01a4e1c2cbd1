"""Checker of exercise 8: run_all returns, reports the broken pool, keeps right results."""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import checklib  # noqa: E402
from checklib import NotYet  # noqa: E402


def check(d):
    try:
        got = checklib.call(d, "r, b = solution.run_all(list(range(1, 21))); "
                               "_report({'r': {str(k): v for k, v in dict(r).items()}, 'b': bool(b)})", 10)
    except NotYet as e:
        raise NotYet("run_all did not return: %s; a dead worker's item never finishes in "
                     "a Pool" % e)
    wrong = [k for k, v in got["r"].items() if v != int(k) ** 2 or k == "13"]
    if wrong:
        raise NotYet("wrong results for %s" % ", ".join(wrong))
    if not got["b"]:
        raise NotYet("the pool broke (item 13 kills its worker) but run_all says broken=False")
    return "returned with %d results and the broken pool reported" % len(got["r"]), {
        "results": len(got["r"])}


checklib.main(check)
