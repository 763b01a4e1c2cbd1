"""Start methods in practice: this interpreter's default, and what each costs to start a child."""
import multiprocessing as mp
import sys
import time


def nothing():
    """A child that does nothing: its cost is the start method's."""


if __name__ == "__main__":
    v = sys.version_info
    print(f"Python {v.major}.{v.minor} on {sys.platform}; available: {mp.get_all_start_methods()}")
    print(f"default here: {mp.get_start_method()}", end="")
    if v >= (3, 14):
        print("  (3.14+: forkserver on POSIX other than macOS, spawn on macOS and Windows)")
    else:
        print("  (before 3.14: fork on Linux; 3.14 changed it to forkserver)")
    for method in mp.get_all_start_methods():
        ctx = mp.get_context(method)  # a context: its own Process, Pool, Queue
        t0 = time.perf_counter()
        ps = [ctx.Process(target=nothing) for _ in range(2)]
        for p in ps:
            p.start()
        for p in ps:
            p.join()
        ms = (time.perf_counter() - t0) / 2 * 1e3
        print(f"  {method:10} {ms:7.1f} ms a child (start to join), exit codes {[p.exitcode for p in ps]}")
