"""Exercise 8: survive a crashed worker with concurrent.futures."""
import os
from multiprocessing import Pool


def task(n):
    if n == 13:
        os._exit(1)  # the worker dies, as by a segfault
    return n * n


def run_all(items):
    # TODO: Pool.map waits for ever for the item the dead worker took
    with Pool(2) as pool:
        values = pool.map(task, items)
    return dict(zip(items, values)), False


if __name__ == "__main__":
    print(run_all(list(range(1, 21))))
