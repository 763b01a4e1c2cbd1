"""A race between processes on a shared Value, and the Lock that fixes it."""
import multiprocessing as mp
import time

N = 20_000  # additions per process
TRIES = 5  # unlocked runs at most, until one loses an update


def add_unlocked(counter, start):
    """counter.value += 1 is a read, then a write: another process can write in between."""
    start.wait()  # both begin together, not one after the other has finished
    for _ in range(N):
        counter.value += 1


def add_locked(counter, start):
    """The same, holding the Value's own lock around the read and the write."""
    start.wait()
    for _ in range(N):
        with counter.get_lock():
            counter.value += 1


def run(target):
    """Two processes add N each to one shared int; return what it reads and the time."""
    counter = mp.Value("i", 0)  # an int in shared memory, with a lock beside it
    start = mp.Barrier(2)
    procs = [mp.Process(target=target, args=(counter, start)) for _ in range(2)]
    t0 = time.perf_counter()
    for p in procs:
        p.start()
    for p in procs:
        p.join()
    return counter.value, time.perf_counter() - t0


if __name__ == "__main__":
    want = 2 * N
    for tries in range(1, TRIES + 1):
        raced, s = run(add_unlocked)
        if raced != want:
            break  # a busy machine can run the two one at a time: then again
    again = f" (try {tries}: the earlier ones lost none)" if tries > 1 else ""
    print(f"without the lock: {raced} of {want} ({want - raced} updates lost) in {s:.2f} s{again}")
    locked, s = run(add_locked)
    print(f"with get_lock():  {locked} of {want} ({want - locked} lost) in {s:.2f} s")
    if locked != want:
        raise SystemExit("the locked count is wrong: that is a bug")
    if raced == want:
        raise SystemExit(f"no update was lost in {TRIES} tries (the two never ran at once): run it again")
