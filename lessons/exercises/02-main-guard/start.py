"""Exercise 2: the __main__ guard."""
import multiprocessing as mp


def square(n):
    return n * n


# TODO: this runs again in every spawned worker; guard it
ctx = mp.get_context("spawn")
with ctx.Pool(2) as pool:
    print(pool.map(square, [1, 2, 3, 4, 5]))
