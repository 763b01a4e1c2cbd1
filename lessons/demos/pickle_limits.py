"""What crosses to a worker is pickled: a module-level function can be, a lambda cannot."""
import multiprocessing as mp
import pickle


def double(n):
    """A module-level function: pickled by its name."""
    return 2 * n


if __name__ == "__main__":
    b = pickle.dumps(double)
    print(f"pickle.dumps(double): {len(b)} bytes, the name __main__.double, no code")
    try:
        pickle.dumps(lambda n: 2 * n)
    except (pickle.PicklingError, AttributeError) as e:
        print("pickle.dumps(lambda):", type(e).__name__, "-", e)

    with mp.Pool(2) as pool:
        print("pool.map(double, [1, 2, 3]) ->", pool.map(double, [1, 2, 3]))
        try:
            pool.map(lambda n: 2 * n, [1, 2, 3])
        except Exception as e:  # the task itself cannot be pickled
            print("pool.map(lambda, ...)   ->", type(e).__name__, "-", e)

    # Under fork a Process target is not pickled: the child inherits it.
    # Under spawn (and forkserver) it is, so the lambda fails there too.
    for method in ("fork", "spawn"):
        ctx = mp.get_context(method)
        try:
            p = ctx.Process(target=lambda: None)
            p.start()
            p.join()
            print(f"Process(target=lambda) under {method}: ran, exit code {p.exitcode}")
        except Exception as e:
            print(f"Process(target=lambda) under {method}: {type(e).__name__} - {e}")
