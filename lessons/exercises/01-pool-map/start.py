"""Exercise 1: square a list with Pool.map."""
from multiprocessing import Pool  # noqa: F401


def square(n):
    return n * n


def squares(items):
    # TODO: map square over items with a Pool of worker processes
    return None


if __name__ == "__main__":
    print(squares([1, 2, 3, 4, 5]))
