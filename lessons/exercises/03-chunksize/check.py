"""Checker of exercise 3: total() right and >= 2x faster than chunksize 1."""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import checklib  # noqa: E402
from checklib import NotYet  # noqa: E402


BODY = '''
from multiprocessing import Pool
items = list(range(10000))
def ones():
    with Pool(2) as pool:
        return sum(pool.map(solution.small, items, chunksize=1))
t = time.perf_counter(); want = ones(); base = time.perf_counter() - t
t = time.perf_counter(); got = solution.total(items); yours = time.perf_counter() - t
_report({"want": want, "got": got, "base": base, "yours": yours})
'''


def check(d):
    r = checklib.call(d, BODY, 60)
    if r["got"] != r["want"]:
        raise NotYet("total gave %r, not %r" % (r["got"], r["want"]))
    ratio = r["base"] / max(r["yours"], 1e-9)
    fig = {"chunksize1_s": round(r["base"], 4), "yours_s": round(r["yours"], 4),
           "ratio": round(ratio, 2)}
    if ratio < 2.0:
        raise NotYet("right sum, but %.3f s against %.3f s at chunksize 1: only %.2fx "
                     "faster (need 2x)" % (r["yours"], r["base"], ratio))
    return "right sum, %.2fx faster than chunksize 1 (%.3f s vs %.3f s)" % (
        ratio, r["yours"], r["base"]), fig


checklib.main(check)
