"""A worker killed mid-task: ProcessPoolExecutor fails every pending future with BrokenProcessPool."""
import concurrent.futures as cf
import os
import signal
import time
from concurrent.futures.process import BrokenProcessPool


def task(n):
    """Return n, except for 3: that worker kills itself with SIGKILL."""
    time.sleep(0.05)
    if n == 3:
        os.kill(os.getpid(), signal.SIGKILL)
    return n


if __name__ == "__main__":
    t0 = time.perf_counter()
    with cf.ProcessPoolExecutor(max_workers=2) as ex:
        futures = [ex.submit(task, n) for n in range(1, 9)]
        done, failed = 0, 0
        for f in futures:
            try:
                f.result(timeout=10)
                done += 1
            except BrokenProcessPool:
                failed += 1
        print(f"{done} results, {failed} futures failed with BrokenProcessPool,"
              f" after {time.perf_counter() - t0:.2f} s (no hang)")
        try:
            ex.submit(task, 1)
        except BrokenProcessPool as e:
            print("the executor is unusable now:", e)
