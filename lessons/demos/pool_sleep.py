"""A Pool of two workers that each burn CPU, then sleep: pyrun shows the tree."""
import multiprocessing as mp
import sys
import time


def burn(n):
    t = time.time()
    while time.time() - t < n:
        pass
    return n


if __name__ == "__main__":
    secs = float(sys.argv[1]) if len(sys.argv) > 1 else 0.5
    with mp.Pool(2) as pool:
        print("burning", secs, "s in each of 2 workers", flush=True)
        print(pool.map(burn, [secs, secs]))
        if len(sys.argv) > 2:
            print("now sleeping", sys.argv[2], "s", flush=True)
            pool.map(time.sleep, [float(sys.argv[2])] * 2)
    print("done")
