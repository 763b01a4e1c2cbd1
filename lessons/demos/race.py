"""A race between processes on a shared Value, and the Lock that fixes it."""
import multiprocessing as mp
import time

N = 20_000  # additions per process


def add_unlocked(counter):
    """counter.value += 1 is a read, then a write: another process can write in between."""
    for _ in range(N):
        counter.value += 1


def add_locked(counter):
    """The same, holding the Value's own lock around the read and the write."""
    for _ in range(N):
        with counter.get_lock():
            counter.value += 1


def run(target):
    """Two processes add N each to one shared int; return what it reads and the time."""
    counter = mp.Value("i", 0)  # an int in shared memory, with a lock beside it
    procs = [mp.Process(target=target, args=(counter,)) for _ in range(2)]
    t0 = time.perf_counter()
    for p in procs:
        p.start()
    for p in procs:
        p.join()
    return counter.value, time.perf_counter() - t0


if __name__ == "__main__":
    want = 2 * N
    raced, s = run(add_unlocked)
    print(f"without the lock: {raced} of {want} ({want - raced} updates lost) in {s:.2f} s")
    locked, s = run(add_locked)
    print(f"with get_lock():  {locked} of {want} ({want - locked} lost) in {s:.2f} s")
    if locked != want:
        raise SystemExit("the locked count is wrong: that is a bug")
    if raced == want:
        raise SystemExit("no update was lost this time (the two never ran at once): run it again")
