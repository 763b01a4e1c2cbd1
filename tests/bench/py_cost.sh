#!/bin/sh
# tests/bench/py_cost.sh — what Python costs, shown: figures printed, not
# judged, all measured in this one run (medians of REPS, default 3):
#   py-process pool start-up under fork, spawn and forkserver (mptutor's
#   startup_s: Pool() until every worker said hello; and the interpreter's
#   own start-up), beside the C process backend's start-up;
#   square 1..N (default 20000) at chunksize 1 and at Pool.map's default on
#   py-process and on the C process backend: the wall per item (hand-off);
#   the cost of watching: the same maps in plain CPython (Pool/ThreadPool,
#   timed around pool.map) against mptutor's py-process and py-thread
#   (wall_s: the map's first start to its last end), and the ratio.
# MPTUTOR (default ./mptutor) and PYTHON (default python3) name the programs.
MPTUTOR=${MPTUTOR:-./mptutor}
PYTHON=${PYTHON:-python3}
N=${N:-20000}
REPS=${REPS:-3}
if ! command -v "$PYTHON" >/dev/null 2>&1; then
	echo "py_cost.sh: $PYTHON not found, nothing to measure"
	exit 0
fi
exec "$PYTHON" - "$MPTUTOR" "$N" "$REPS" <<'PYEOF'
import json, statistics, subprocess, sys, time

MPTUTOR, N, REPS = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
WORKERS = 2
DEFAULT_CHUNK = -(-N // (4 * WORKERS))


def mptutor(*args):
    """One mptutor run's JSON report."""
    out = subprocess.run([MPTUTOR, "run", *args, "--json"], check=True,
                         capture_output=True, text=True).stdout
    return json.loads(out)


def med(f):
    return statistics.median(f() for _ in range(REPS))


PLAIN = r'''
import sys, time
from multiprocessing.pool import Pool, ThreadPool
def square(n):
    return n * n
if __name__ == "__main__":
    kind, n, c = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    with (Pool if kind == "process" else ThreadPool)(2) as p:
        t = time.perf_counter()
        p.map(square, range(1, n + 1), c)
        print(time.perf_counter() - t)
'''


def plain(kind, chunk):
    """Seconds of pool.map(square, 1..N, chunk) in plain CPython."""
    out = subprocess.run([sys.executable, "-c", PLAIN, kind, str(N), str(chunk)],
                         check=True, capture_output=True, text=True).stdout
    return float(out)


version = subprocess.run([sys.executable, "-c", "import platform; print(platform.python_version())"],
                         capture_output=True, text=True).stdout.strip()
print(f"py_cost: CPython {version}, {WORKERS} workers, medians of {REPS}")
print()
print("pool start-up (run square 1..4):")
print(f"  {'backend':<12} {'method':<11} {'pool start':>11} {'interpreter start':>18}")
for m in ("fork", "spawn", "forkserver"):
    runs = [mptutor("square", "1..4", "-w", str(WORKERS), "-b", "py-process",
                    "--start-method", m) for _ in range(REPS)]
    pool = statistics.median(r["startup_s"] for r in runs)
    interp = statistics.median(r["interp_startup_s"] for r in runs)
    print(f"  {'py-process':<12} {m:<11} {pool * 1e3:>8.1f} ms {interp * 1e3:>15.1f} ms")
c = med(lambda: mptutor("square", "1..4", "-w", str(WORKERS), "-b", "process")["startup_s"])
print(f"  {'process (C)':<12} {'fork':<11} {c * 1e3:>8.1f} ms {'-':>18}")
print()
print(f"hand-off per item (run square 1..{N}, wall / items):")
print(f"  {'backend':<12} {'chunksize':>9} {'wall':>10} {'per item':>10}")
for b in ("py-process", "process"):
    for chunk in (1, DEFAULT_CHUNK):
        w = med(lambda: mptutor("square", f"1..{N}", "-w", str(WORKERS), "-b", b,
                                "-c", str(chunk))["wall_s"])
        print(f"  {b:<12} {chunk:>9} {w * 1e3:>7.1f} ms {w / N * 1e6:>7.2f} us")
print()
print(f"the cost of watching (square 1..{N}):")
print(f"  {'backend':<12} {'chunksize':>9} {'plain':>10} {'watched':>10} {'ratio':>7}")
for b, kind in (("py-process", "process"), ("py-thread", "thread")):
    for chunk in (1, DEFAULT_CHUNK):
        p = med(lambda: plain(kind, chunk))
        w = med(lambda: mptutor("square", f"1..{N}", "-w", str(WORKERS), "-b", b,
                                "-c", str(chunk))["wall_s"])
        print(f"  {b:<12} {chunk:>9} {p * 1e3:>7.1f} ms {w * 1e3:>7.1f} ms {w / p:>6.2f}x")
PYEOF
