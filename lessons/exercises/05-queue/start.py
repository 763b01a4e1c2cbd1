"""Exercise 5: collect results from Processes with a Queue."""
import multiprocessing as mp

results = []


def work(n):
    results.append((n, n * n))  # TODO: this list is the child's own copy


def collect(items):
    procs = [mp.Process(target=work, args=(n,)) for n in items]
    for p in procs:
        p.start()
    for p in procs:
        p.join()
    return dict(results)


if __name__ == "__main__":
    print(collect(range(1, 9)))
