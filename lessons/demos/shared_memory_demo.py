"""Sharing without copying: an Array, and a shared_memory block a child writes into by name."""
import multiprocessing as mp
from multiprocessing import shared_memory


def fill_array(arr, k):
    """Write squares into every other slot, starting at k, of a shared Array."""
    for i in range(k, len(arr), 2):
        arr[i] = i * i


def fill_block(name, size):
    """Attach to a shared_memory block by its name and write bytes into it."""
    shm = shared_memory.SharedMemory(name=name)
    for i in range(size):
        shm.buf[i] = i % 256
    shm.close()  # this process stops using it; the creator unlinks it


if __name__ == "__main__":
    arr = mp.Array("q", 8)  # 8 signed 64-bit ints, zeroed, in shared memory
    ps = [mp.Process(target=fill_array, args=(arr, k)) for k in (0, 1)]
    for p in ps:
        p.start()
    for p in ps:
        p.join()
    print("Array filled by two children:", list(arr))

    size = 200_000
    shm = shared_memory.SharedMemory(create=True, size=size)
    try:
        p = mp.Process(target=fill_block, args=(shm.name, size))
        p.start()
        p.join()
        print(f"shared_memory {shm.name!r}: the child wrote {size:,} bytes;"
              f" the parent reads {bytes(shm.buf[:6])!r}... sum {sum(shm.buf[:1000])}")
        print("only the name crossed to the child, not the 200 kB")
    finally:
        shm.close()
        shm.unlink()  # free it: shared memory outlives processes until unlinked
