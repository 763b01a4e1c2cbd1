#!/bin/sh
# tests/bench/cpython.sh — CPython's own multiprocessing, timed in the same
# run as mptutor's engine, figures printed side by side (medians of 5):
#   Pool(2).map(square, range(100000), chunksize=1), per item;
#   Pool(2) start + close + join;
#   processes and threads against serial on primes 8x300000 (medians of 3).
# mptutor's figures come from `mptutor run ... --json`. Skipped without python3.
MPTUTOR=${MPTUTOR:-./mptutor}
if ! command -v python3 >/dev/null 2>&1; then
	echo "cpython.sh: python3 not found, CPython figures skipped"
	exit 0
fi
exec python3 - "$MPTUTOR" <<'PYEOF'
import json, multiprocessing, os, statistics, subprocess, sys, time
from concurrent.futures import ThreadPoolExecutor

MPTUTOR = sys.argv[1]
REPS = 5
ctx = multiprocessing.get_context("fork")

def square(x):
    return x * x

def primes(n):
    count = 1 if n > 2 else 0
    for c in range(3, n, 2):
        d = 3
        while d * d <= c:
            if c % d == 0:
                break
            d += 2
        else:
            count += 1
    return count

def median(f, reps=REPS):
    return statistics.median(f() for _ in range(reps))

def timed(f):
    t = time.perf_counter()
    f()
    return time.perf_counter() - t

def ours(*args):
    """Median of a figure from `mptutor run ... --json`; None without mptutor."""
    if not os.access(MPTUTOR, os.X_OK):
        return None
    vals = []
    for _ in range(REPS):
        out = subprocess.run([MPTUTOR, "run", *args[1:], "--json"], capture_output=True,
                             text=True)
        if out.returncode != 0:
            return None
        vals.append(args[0](json.loads(out.stdout)))
    return statistics.median(vals)

def show(label, cpy, mine, unit, scale):
    m = "n/a (no ./mptutor)" if mine is None else "%.3f %s" % (mine * scale, unit)
    ratio = "" if mine is None or not cpy else "  mptutor/CPython %.3f" % (mine / cpy)
    print("  %-44s CPython %.3f %s   mptutor %s%s" % (label, cpy * scale, unit, m, ratio))

print("cpython.sh: %s, medians of %d runs" % (sys.version.split()[0], REPS))

def pool_map():
    with ctx.Pool(2) as p:
        t = time.perf_counter()
        p.map(square, range(100000), chunksize=1)
        return time.perf_counter() - t
show("square 1..100000 -w 2 -c 1, per item", median(pool_map) / 100000,
     ours(lambda j: j["wall_s"] / 100000, "square", "1..100000", "-w", "2", "-c", "1"),
     "us", 1e6)

def pool_life():
    p = ctx.Pool(2)
    p.close()
    p.join()
show("Pool(2) start + close + join", median(lambda: timed(pool_life)),
     ours(lambda j: j["startup_s"] + j.get("teardown_s", 0), "square", "1", "-w", "2"),
     "ms", 1e3)

items = [300000] * 8
serial = median(lambda: timed(lambda: [primes(n) for n in items]), 3)
def procs():
    with ctx.Pool(2) as p:
        return timed(lambda: p.map(primes, items, chunksize=1))
def threads():
    with ThreadPoolExecutor(2) as ex:
        return timed(lambda: list(ex.map(primes, items)))
our_serial = ours(lambda j: j["wall_s"], "primes", "8x300000", "-b", "serial")
for name, f, backend in (("processes", procs, "process"), ("threads", threads, "gil")):
    w = median(f, 3)
    mine = ours(lambda j: j["wall_s"], "primes", "8x300000", "-w", "2", "-b", backend)
    sp = None if mine is None or our_serial is None else our_serial / mine
    print("  primes 8x300000 -w 2, %-9s speedup      CPython %.2f   mptutor (%s) %s" %
          (name, serial / w, backend, "n/a" if sp is None else "%.2f" % sp))
PYEOF
