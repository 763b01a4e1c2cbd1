"""Exercise 3: choose a chunksize for many small items."""
from multiprocessing import Pool


def small(n):
    return n % 7


def total(items):
    with Pool(2) as pool:
        # TODO: one item per hand-off is slow; send them in chunks
        return sum(pool.map(small, items, chunksize=1))


if __name__ == "__main__":
    print(total(range(10000)))
