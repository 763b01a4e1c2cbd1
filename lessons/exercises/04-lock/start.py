"""Exercise 4: a race on a shared Value, and the Lock that fixes it."""
import multiprocessing as mp


def add(counter, n):
    for _ in range(n):
        counter.value += 1  # TODO: a read and a write; another process can come between


def count(workers, n):
    counter = mp.Value("i", 0)
    procs = [mp.Process(target=add, args=(counter, n)) for _ in range(workers)]
    for p in procs:
        p.start()
    for p in procs:
        p.join()
    return counter.value


if __name__ == "__main__":
    print(count(4, 20000), "of", 4 * 20000)
