"""Subinterpreters (3.14): each has its own GIL, so threads of interpreters run Python in parallel."""
import sys
import time

N = 10_000_000  # sum(range(N)): CPU-bound, holds its interpreter's GIL throughout


def timed(executor_class, workers, items):
    """Map sum over the ranges with an executor; return (results, seconds)."""
    t0 = time.perf_counter()
    with executor_class(max_workers=workers) as ex:
        out = list(ex.map(sum, items))  # builtins.sum: found by name in any interpreter
    return out, time.perf_counter() - t0


if __name__ == "__main__":
    v = sys.version_info
    print(f"Python {v.major}.{v.minor}.{v.micro} ({sys.executable})")
    try:
        from concurrent import interpreters  # PEP 734, new in 3.14
        from concurrent.futures import InterpreterPoolExecutor, ThreadPoolExecutor
    except ImportError:
        print("concurrent.interpreters and InterpreterPoolExecutor: not here.")
        print("They are new in Python 3.14; run this demo with a 3.14 interpreter")
        print("(mptutor pythons lists the ones it finds) to see them live.")
        sys.exit(0)

    interp = interpreters.create()
    print("interpreters.create() ->", interp)
    interp.exec("import sys; print('  hello from a subinterpreter: its own sys.modules,',"
                " len(sys.modules), 'modules')")
    interp.close()

    items = [range(N)] * 4
    t0 = time.perf_counter()
    want = [sum(r) for r in items]
    serial = time.perf_counter() - t0
    got_t, thr = timed(ThreadPoolExecutor, 2, items)
    try:
        got_i, sub = timed(InterpreterPoolExecutor, 2, items)
    except Exception as e:  # say what went wrong rather than hide it
        print(f"InterpreterPoolExecutor failed here: {type(e).__name__}: {e}")
        sys.exit(1)
    print(f"4 x sum(range({N:,})): serial {serial:.2f} s;"
          f" 2 threads {thr:.2f} s (one GIL); 2 interpreters {sub:.2f} s (a GIL each)")
    print("results match:", got_t == want and got_i == want)
