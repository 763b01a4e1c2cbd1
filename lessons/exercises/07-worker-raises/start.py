"""Exercise 7: handle a worker that raises."""
from multiprocessing import Pool


def process(n):
    if n < 0:
        raise ValueError("negative: %d" % n)
    return n * n


def safe_results(items):
    with Pool(2) as pool:
        # TODO: map re-raises the first exception and every result is lost
        return pool.map(process, items)


if __name__ == "__main__":
    print(safe_results([1, 2, -3, 4, -5, 6]))
