"""Data in and out of a process: a Queue, then a Pipe, each one round trip."""
import multiprocessing as mp
import os
import time


def square_worker(inbox, outbox):
    """Take numbers from inbox until None; put (pid, n, n*n) on outbox."""
    while True:
        n = inbox.get()
        if n is None:
            break
        outbox.put((os.getpid(), n, n * n))


def echo_worker(conn):
    """Receive objects on a Pipe end; send back their type and length."""
    while True:
        obj = conn.recv()
        if obj is None:
            break
        conn.send((type(obj).__name__, len(obj)))
    conn.close()


if __name__ == "__main__":
    print(f"parent pid {os.getpid()}, start method {mp.get_start_method()}")

    inbox, outbox = mp.Queue(), mp.Queue()
    workers = [mp.Process(target=square_worker, args=(inbox, outbox)) for _ in range(2)]
    for w in workers:
        w.start()
    for n in range(1, 7):
        inbox.put(n)
    for _ in workers:
        inbox.put(None)  # one stop sign per worker
    got = sorted((outbox.get() for _ in range(6)), key=lambda t: t[1])
    for w in workers:
        w.join()
    print("Queue: six numbers in, six squares out, each from a child:")
    for pid, n, sq in got:
        print(f"  {n} -> {sq}   (pid {pid})")

    parent_end, child_end = mp.Pipe()
    p = mp.Process(target=echo_worker, args=(child_end,))
    p.start()
    for obj in ([1, 2, 3], {"a": 1}, "hello"):
        t0 = time.perf_counter()
        parent_end.send(obj)
        reply = parent_end.recv()
        us = (time.perf_counter() - t0) * 1e6
        print(f"Pipe: sent {obj!r:12} got back {reply} in {us:.0f} us")
    parent_end.send(None)
    p.join()
    print(f"exit codes: {[w.exitcode for w in workers]} and {p.exitcode}")
