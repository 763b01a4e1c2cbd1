"""concurrent.futures: submit returns a Future; as_completed yields them as they finish."""
import concurrent.futures as cf
import os
import time


def nap(ms):
    """Sleep ms milliseconds in a worker process; return (ms, pid)."""
    time.sleep(ms / 1000)
    if ms == 0:
        raise ValueError("no nap")
    return ms, os.getpid()


if __name__ == "__main__":
    t0 = time.perf_counter()
    with cf.ProcessPoolExecutor(max_workers=4) as ex:
        futures = {ex.submit(nap, ms): ms for ms in (400, 100, 300, 200)}
        print("submitted 400, 100, 300, 200 ms; as_completed yields:")
        for fut in cf.as_completed(futures):
            ms, pid = fut.result()
            print(f"  {ms:3} ms from pid {pid} at {time.perf_counter() - t0:.2f} s")
        print("ex.map keeps input order:", [r[0] for r in ex.map(nap, (300, 100))])
        bad = ex.submit(nap, 0)
        print("a failing future: exception() =", repr(bad.exception()))
        try:
            bad.result()
        except ValueError as e:
            print("and result() re-raises it:", type(e).__name__, e)
