"""fork with a thread holding a lock: the child inherits the lock held, and no thread to release it."""
import multiprocessing as mp
import sys
import threading
import time
import warnings

lock = threading.Lock()


def hold_lock():
    """A background thread that holds the lock for a while."""
    with lock:
        time.sleep(1.0)


def child():
    """Try to take the lock the parent's thread held at fork time."""
    got = lock.acquire(timeout=0.5)
    print(f"  child: lock.acquire() -> {got}"
          + ("" if got else " (held forever: its holder was not copied)"), flush=True)


if __name__ == "__main__":
    warnings.simplefilter("always", DeprecationWarning)
    t = threading.Thread(target=hold_lock)
    t.start()
    time.sleep(0.1)  # the thread now holds the lock
    for method in ("fork", "spawn"):
        print(f"{method}:")
        with warnings.catch_warnings(record=True) as seen:
            warnings.simplefilter("always")
            p = mp.get_context(method).Process(target=child)
            p.start()
            p.join()
        for w in seen:
            print(f"  parent warned: {w.category.__name__}: {str(w.message)[:70]}...")
    if sys.version_info < (3, 12):
        print(f"(Python {sys.version_info.major}.{sys.version_info.minor}: no warning;"
              " 3.12+ warns when it forks a process that has threads)")
    t.join()
