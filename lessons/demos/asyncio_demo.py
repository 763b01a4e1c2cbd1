"""asyncio: many waits on one thread; a CPU-bound call blocks them all; an executor moves it off."""
import asyncio
import concurrent.futures as cf
import threading
import time


def burn(ms):
    """CPU-bound: loop for ms milliseconds of wall time."""
    end = time.perf_counter() + ms / 1000
    n = 0
    while time.perf_counter() < end:
        n += 1
    return n


async def wait(ms):
    """An I/O-like wait: the event loop runs others meanwhile."""
    await asyncio.sleep(ms / 1000)
    return ms


async def ticker(stamps):
    """Record a timestamp every 10 ms: gaps show when the loop was blocked."""
    for _ in range(30):
        stamps.append(time.perf_counter())
        await asyncio.sleep(0.01)


async def main():
    t0 = time.perf_counter()
    await asyncio.gather(*(wait(100) for _ in range(1000)))
    print(f"1000 waits of 100 ms with gather: {time.perf_counter() - t0:.2f} s,"
          f" on {threading.active_count()} thread")

    stamps = []
    tick = asyncio.create_task(ticker(stamps))
    await asyncio.sleep(0.05)
    burn(200)  # called directly: nothing else runs for 200 ms
    await tick
    gap = max(b - a for a, b in zip(stamps, stamps[1:]))
    print(f"burn(200) called in a coroutine: the 10 ms ticker's longest gap {gap * 1e3:.0f} ms")

    stamps = []
    tick = asyncio.create_task(ticker(stamps))
    loop = asyncio.get_running_loop()
    with cf.ProcessPoolExecutor(max_workers=1) as pool:
        await asyncio.sleep(0.05)
        await loop.run_in_executor(pool, burn, 200)  # in another process
    await tick
    gap = max(b - a for a, b in zip(stamps, stamps[1:]))
    print(f"burn(200) via run_in_executor(ProcessPoolExecutor): longest gap {gap * 1e3:.0f} ms")


if __name__ == "__main__":
    asyncio.run(main())
