"""An exception raised in a worker: map re-raises it in the parent, with the worker's traceback."""
import multiprocessing as mp
import os


def inverse(n):
    """1/n: raises ZeroDivisionError for 0, in whichever worker gets it."""
    return 1 / n


if __name__ == "__main__":
    items = [4, 2, 0, 1]
    with mp.Pool(2) as pool:
        try:
            pool.map(inverse, items)
        except ZeroDivisionError as e:
            print(f"map raised in the parent (pid {os.getpid()}): {type(e).__name__}: {e}")
            print("its __cause__ carries the worker's traceback:")
            lines = [ln.strip() for ln in str(e.__cause__).splitlines()]
            lines = [ln for ln in lines if ln.startswith(("File", "return", "ZeroDivision"))]
            for line in lines[-3:]:
                print("   ", line)
        print("the results of 4, 2 and 1 are lost with it: map returns all or nothing")

        print("imap gives what came before the error, then raises:")
        it = pool.imap(inverse, items)
        try:
            for x in it:
                print("   got", x)
        except ZeroDivisionError as e:
            print("   then", type(e).__name__)

        r = pool.apply_async(inverse, (0,), error_callback=lambda e: print("error_callback:", repr(e)))
        r.wait()
        print("apply_async: successful() =", r.successful())
        print("the pool still works after all that:", pool.map(inverse, [1, 2]))
