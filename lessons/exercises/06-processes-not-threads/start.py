"""Exercise 6: make a CPU-bound job faster with processes, not threads."""
from concurrent.futures import ThreadPoolExecutor


def work(n):
    total = 0
    for i in range(n):
        total += i * i % 7
    return total


def run_serial(items):
    return [work(n) for n in items]


def run_parallel(items):
    # TODO: threads share one GIL; this is no faster than run_serial
    with ThreadPoolExecutor(max_workers=2) as ex:
        return list(ex.map(work, items))


if __name__ == "__main__":
    print(run_parallel([300000] * 4))
