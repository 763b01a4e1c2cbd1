"""The cost of a large argument: every call pickles it again and pipes it to a worker."""
import multiprocessing as mp
import pickle
import time


def length(data):
    """Return the size of what arrived: the worker got a full copy."""
    return len(data)


if __name__ == "__main__":
    with mp.Pool(2) as pool:
        pool.apply(length, (b"",))  # warm up: both ends ready
        for size in (1_000, 1_000_000, 20_000_000):
            data = bytes(size)
            t0 = time.perf_counter()
            for _ in range(5):
                got = pool.apply(length, (data,))
            ms = (time.perf_counter() - t0) / 5 * 1e3
            print(f"argument of {size:>10,} bytes: {ms:8.2f} ms a call"
                  f" (pickled {len(pickle.dumps(data)):,} B), worker saw {got:,}")
    print("The work (len) is the same each time: the difference is copying.")
