"""mptutor_tasks -- what runs inside the Python workers of mptutor's py-* backends.

The built-in tasks (the same items give the same results as mptutor's C
tasks), the per-thread event buffer that streams item start/end and output
lines to mptutor, and the pieces a pool needs in its workers: the
initializer, and the task queues that flush the buffer before a worker
waits for work and hand each chunk to run_chunk. The pool maps the task
itself over the plain items, as plain CPython does (the same pickles each
way, the same Pool machinery in the parent); only inside the worker is a
chunk run by run_chunk in place of Pool's mapstar, timing its items, or
groups of them, and buffering their events. It is a module of its own (not the
script that mptutor runs) so that spawn and forkserver workers can import it
and unpickle references to it. The event grammar is written at the top of
mptutor_py.py. Standard library only; CPython 3.8 and later.
"""

import ctypes
import os
import queue
import select
import signal
import struct
import sys
import threading
import time

import multiprocessing.pool
import multiprocessing.queues
import multiprocessing.reduction

_mapstar = multiprocessing.pool.mapstar
_sq_get = queue.SimpleQueue.get

# --- tasks --------------------------------------------------------------------

counter = 0  # the counter task's global: one per process, shared by threads


def task_square(n):
    """square: n*n (the seed's Pool.map example)."""
    return n * n


def task_hello(n):
    """hello: the seed's Process example prints one line."""
    print("Worker process is running.")


def task_print(n):
    """print: prints n (output order is not program order)."""
    print(n)


def task_primes(n):
    """primes: primes below n by trial division, as the C task counts them."""
    count = 1 if n > 2 else 0
    for c in range(3, n, 2):
        d = 3
        while d * d <= c:
            if c % d == 0:
                break
            d += 2
        else:
            count += 1
    return count


def _work():
    """A few microseconds of CPU work (one step of a busy loop)."""
    x = 1
    for _ in range(200):
        x = (x * 6364136223846793005 + 1442695040888963407) & 0xFFFFFFFFFFFFFFFF
    return x


def _burn(ns):
    """Burn ns of this thread's CPU time, checking its clock every few microseconds."""
    clock = time.thread_time_ns
    goal = clock() + ns
    while clock() < goal:
        _work()


def task_spin(n):
    """spin: burns n ms of this thread's CPU time."""
    _burn(n * 1000000)
    return n


def task_sleep(n):
    """sleep: blocks n ms (time.sleep releases the GIL)."""
    time.sleep(n / 1000.0)
    return n


def task_mixed(n):
    """mixed: n >= 0 burns n ms of CPU; n < 0 does |n| 1 ms waits, each followed
    by a little CPU work under the GIL. Returns the item's wall time in ms."""
    start = time.monotonic_ns()
    if n >= 0:
        _burn(n * 1000000)
    for _ in range(-n):
        time.sleep(0.001)
        _work()
    return (time.monotonic_ns() - start) // 1000000


def task_counter(n):
    """counter: adds 1 to the module global n times with a plain `counter += 1`
    (threads share it and may lose updates where the interpreter lets them;
    each process has its own copy). Returns the global after."""
    global counter
    for _ in range(n):
        counter += 1
    return counter


def task_crash(n):
    """crash: dies by a real SIGSEGV when n % 3 == 0, else returns n."""
    if n % 3 == 0:
        flush_events()  # so the item's start reaches mptutor before the worker dies
        die_by_sigsegv()
    return n


def die_by_sigsegv():
    """Die by SIGSEGV: a NULL read with the default action restored."""
    try:
        import faulthandler

        faulthandler.disable()
    except Exception:
        pass
    signal.signal(signal.SIGSEGV, signal.SIG_DFL)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, [signal.SIGSEGV])
    try:
        ctypes.string_at(0)
    except Exception:
        pass
    os.kill(os.getpid(), signal.SIGSEGV)
    os._exit(139)  # not reached


# name -> (function, returns a value, smallest item, largest item, eager): the
# ranges as in the C table; eager: its items' starts are written before it runs
# (it prints, or may kill its worker)
INT64_MIN, INT64_MAX = -(2 ** 63), 2 ** 63 - 1
TASKS = {
    "square": (task_square, True, -3037000499, 3037000499, False),
    "hello": (task_hello, False, INT64_MIN, INT64_MAX, True),
    "print": (task_print, False, INT64_MIN, INT64_MAX, True),
    "primes": (task_primes, True, 0, 100000000, False),
    "spin": (task_spin, True, 0, 60000, False),
    "sleep": (task_sleep, True, 0, 60000, False),
    "mixed": (task_mixed, True, -60000, 60000, False),
    "counter": (task_counter, True, 0, 100000000, False),
    "crash": (task_crash, True, -1000000000, 1000000000, True),
}

# --- events -------------------------------------------------------------------

LINE_MAX = 4096  # PIPE_BUF on Linux: one write of at most this is atomic
ALONE_MAX = 32768  # a thread's buffer and writes where one process writes the FIFO alone
FLUSH_AGE_NS = 2000000  # flush a buffer older than 2 ms
IDLE_S = 0.002  # a thread worker that waited this long for a task writes its buffer
SLOW_ITEM_NS = 1000000  # an item longer than 1 ms is slow: its start and end go at once
TEXT_CHUNK = 2048  # output text per event, plain ASCII (escaped: 200 characters)

_fd = -1  # this process's events FIFO (or stdout)
_fd_pid = 0  # the process that opened _fd (a forked child opens its own)
_tls = threading.local()


def open_events(path):
    """Open the events FIFO write-only in this process; path None: stdout.
    Raises OSError if it cannot be opened."""
    global _fd, _fd_pid
    if _fd_pid == os.getpid():
        return
    if path is None:
        _fd = 1
    else:
        # no reader (ENXIO) is an error, not a wait for ever
        fd = os.open(path, os.O_WRONLY | os.O_NONBLOCK | os.O_CLOEXEC)
        os.set_blocking(fd, True)  # a full pipe waits for mptutor: no event is dropped
        _fd = fd
    _fd_pid = os.getpid()


Q_HEAD = 32  # "Q pid tid n " at most
ITEM_HEX = 64  # one item in a Q line: 4 int64 as 16 hex digits each
Q_MAX = 63  # items in one Q line at most
GROUP_LINE = 240  # results in one G line (16 hex digits each)
GROUP_MAX = 4096  # fast items run as one group at most (written as several G lines)
GROUP_NS = 500000  # a group of fast items lasts about this long: the timeline's grain
FAST_NS = 20000  # items faster than this are run in groups, timed per group
_structs = {}  # n -> struct.Struct("<nq"), made once: its format is not parsed again a line


def _pack(values):
    """values (ints) as little-endian int64s: struct.error if one does not fit."""
    n = len(values)
    st = _structs.get(n)
    if st is None:
        st = _structs[n] = struct.Struct("<%dq" % n)
    return st.pack(*values)


def _result(r):
    """A result as an E event has it: a decimal int, or "-" for None."""
    return "-" if r is None else r


def items_line(pidtid, flat):
    """The Q line of fast items, flat = [index, t0, t1, result, ...]: each item
    4 little-endian int64 in hex (cheap to make: struct.pack, the cheapest
    list of ints to bytes, and bytes.hex run in C). A result outside int64
    (or None) sends those items as S and E lines instead."""
    try:
        data = _pack(flat)
    except struct.error:
        return "".join(
            f"S {flat[k]} {pidtid} {flat[k + 1]}\nE {flat[k]} {flat[k + 2]} {_result(flat[k + 3])}\n"
            for k in range(0, len(flat), 4)
        )
    return f"Q {pidtid} {len(flat) // 4} {data.hex()}\n"


def group_lines(pidtid, g):
    """The G lines of a group g = (first index, t0, t1, results, at, n): n
    items that ran back to back from t0 to t1, not timed one by one, their
    results results[at:at + n] (the chunk's own result list, not a copy); a
    line of each GROUP_LINE of them, its times the group's cut in
    proportion. A result outside int64 (or not an int) sends those items as
    S and E lines at the same proportional times."""
    first, t0, t1, rs, at, n = g
    out = []
    for k in range(0, n, GROUP_LINE):
        part = rs[at + k : at + min(k + GROUP_LINE, n)]
        a = t0 + (t1 - t0) * k // n
        z = t0 + (t1 - t0) * (k + len(part)) // n
        try:
            data = _pack(part)  # the cheapest int64 list to bytes
        except struct.error:
            m = len(part)
            for j, r in enumerate(part):
                s = a + (z - a) * j // m
                e = a + (z - a) * (j + 1) // m
                out.append(f"S {first + k + j} {pidtid} {s}\nE {first + k + j} {e} {'-' if r is None else r}\n")
            continue
        out.append(f"G {pidtid} {first + k} {len(part)} {a} {z} {data.hex()}\n")
    return "".join(out)


class _Buffer:
    """One thread's events not yet written, at most _buf_max bytes of them:
    lines; runs of fast items as flat lists [index, t0, t1, result, ...],
    written as one Q line each; and groups as (first index, t0, t1, results)
    tuples, written as G lines. The items are only formatted when written
    (the cheap path of a map)."""

    __slots__ = (
        "parts", "size", "flush_by", "pid", "tid", "pidtid", "slow", "partial", "flat", "flat_max",
        "group", "cpu0",
    )

    def __init__(self):
        self.parts = []
        self.size = 0
        self.flush_by = time.monotonic_ns() + FLUSH_AGE_NS  # when it is written at the latest
        self.pid = os.getpid()
        self.tid = threading.get_native_id()
        self.pidtid = "%d %d" % (self.pid, self.tid)
        self.slow = False
        self.partial = ""  # printed text not yet ended by a newline
        self.flat = None  # the run of fast items being added to (it is in parts)
        self.flat_max = 0  # the slots it may fill (4 an item) before the buffer is full
        self.group = 1  # how many items run_chunk runs next as one timed group
        self.cpu0 = time.thread_time_ns()  # this thread's CPU when it was made

    def close_flat(self):
        """Count the run of fast items being added to, and add no more to it
        (a later fast item starts a new Q line, after what is added now)."""
        if self.flat is not None:
            self.size += len(self.flat) * (ITEM_HEX // 4)
            self.flat = None

    def open_flat(self):
        """A new run of fast items (one Q line) at the end of the buffer,
        written first if not even one more item would fit."""
        self.close_flat()
        if self.size + Q_HEAD + ITEM_HEX > _buf_max:
            self.flush()
        self.flat = fl = []
        self.parts.append(fl)
        self.size += Q_HEAD
        self.flat_max = 4 * min(Q_MAX, (_buf_max - self.size) // ITEM_HEX)
        return fl

    def after_item(self, slow):
        """A fast item filled its Q line (the next item starts another, if
        the buffer has room for it), or the buffer is old (write it), or the
        item was slow (write it, and the next items' starts at once)."""
        if slow:
            self.slow = True
        elif (
            len(self.flat) >= self.flat_max
            and _clock() <= self.flush_by
            and self.size + len(self.flat) * (ITEM_HEX // 4) + Q_HEAD + ITEM_HEX <= _buf_max
        ):
            self.close_flat()
            return
        self.flush()

    def add(self, line):
        """Append one line; write the buffer first if the line would not fit."""
        self.close_flat()
        if self.size + len(line) > _buf_max:
            self.flush()
        self.parts.append(line)
        self.size += len(line)

    def flush(self):
        """Write the buffered lines in one write (atomic on the FIFO, or
        under the process's write lock where it writes alone)."""
        if self.parts:
            pt = self.pidtid
            text = "".join(
                [
                    x
                    if x.__class__ is str
                    else items_line(pt, x)
                    if x.__class__ is list
                    else group_lines(pt, x)
                    for x in self.parts
                ]
            )
            self.parts = []
            self.size = 0
            self.flat = None
            data = text.encode("ascii")
            if len(data) <= _buf_max:
                _write(data)
            else:  # a group's lines, or results outside int64 as S and E lines
                _write_lines(data)
        self.flush_by = time.monotonic_ns() + FLUSH_AGE_NS

    def output(self, text, t, more):
        """Buffer printed text as output events (cut into pieces that fit a line)."""
        if text.isascii() and text.isprintable() and "\\" not in text:
            step, esc = TEXT_CHUNK, None
        else:
            step, esc = 200, escape
        for k in range(0, max(len(text), 1), step):
            piece = text[k : k + step]
            cont = 1 if more or k + step < len(text) else 0
            self.add("O %d %d %d %d %s\n" % (self.pid, self.tid, t, cont, esc(piece) if esc else piece))


def escape(text):
    """Text as event ASCII: printable ASCII as is, a backslash as \\\\, anything
    else as \\xHH per UTF-8 byte."""
    out = []
    for ch in text:
        o = ord(ch)
        if 32 <= o < 127 and ch != "\\":
            out.append(ch)
        elif ch == "\\":
            out.append("\\\\")
        else:
            for b in ch.encode("utf-8", "backslashreplace"):
                out.append("\\x%02x" % b)
    return "".join(out)


_buf_max = LINE_MAX  # this process's buffers and writes at most (ALONE_MAX: write_alone)
_wlock = None  # where writes may be longer than PIPE_BUF, the lock that keeps them whole


def write_alone():
    """This process is the only one writing the FIFO (the thread and serial
    modes): its threads buffer up to ALONE_MAX bytes and write as much at
    once, one thread at a time under a lock, so lines still never
    interleave, with a write (and the GIL it hands over) per ALONE_MAX
    bytes, not per PIPE_BUF."""
    global _buf_max, _wlock
    _wlock = threading.Lock()
    _buf_max = ALONE_MAX


def _write(data):
    """One write of whole lines; if mptutor is gone, this process ends."""
    if _wlock is None:
        _write_all(data)
    else:
        with _wlock:
            _write_all(data)


def _write_all(data):
    """os.write until data is written (a signal may cut a long write short)."""
    view = memoryview(data)
    while view:
        try:
            n = os.write(_fd, view)
        except InterruptedError:
            continue
        except OSError:
            os._exit(3)  # the reader is gone (EPIPE): nobody to run for
        view = view[n:]


def _write_lines(data):
    """Whole lines in writes of at most _buf_max bytes each."""
    at, end = 0, len(data)
    while at < end:
        cut = end if end - at <= _buf_max else data.rindex(b"\n", at, at + _buf_max) + 1
        _write(data[at:cut])
        at = cut


def buffer():
    """This thread's event buffer (made on first use)."""
    try:
        return _tls.buf
    except AttributeError:
        _tls.buf = b = _Buffer()
        return b


def reset_buffer():
    """A fresh buffer for this thread (a forked child must not resend its parent's)."""
    _tls.buf = _Buffer()


def emit(line):
    """Write one event line at once (rare events: hello, announce, pool, map)."""
    b = buffer()
    b.add(line)
    b.flush()


def emit_cpu():
    """This thread's CPU since its buffer was made (its W), as it reads it
    itself: a U line, written at once (the worker's last word, before it ends)."""
    b = buffer()
    b.add("U %s %d\n" % (b.pidtid, time.thread_time_ns() - b.cpu0))
    b.flush()


def flush_events():
    """Write this thread's buffered events now."""
    b = getattr(_tls, "buf", None)
    if b is not None:
        b.flush()


class EventStdout:
    """sys.stdout of a worker: each printed line becomes an output event of
    the printing thread (pid, tid, time), buffered with its other events."""

    encoding = "utf-8"
    errors = "strict"

    def write(self, s):
        b = buffer()
        if b.partial:
            s, b.partial = b.partial + s, ""
        if "\n" not in s:
            b.partial = s
            return len(s)
        lines = s.split("\n")
        b.partial = lines.pop()
        t = time.monotonic_ns()
        for line in lines:
            b.output(line, t, 0)
        return len(s)

    def end_item(self, b, t):
        """Text printed without a newline by an item ends with the item."""
        if b.partial:
            text, b.partial = b.partial, ""
            b.output(text, t, 0)

    def flush(self):
        pass

    def isatty(self):
        return False

    def writable(self):
        return True


_stdout = EventStdout()
_task = None  # this process's task function
_eager = False  # its items' starts are written before they run
_chunksize = 1  # the map's chunksize: a task's place times it is its first item's index
_clock = time.monotonic_ns


def set_task(name, chunksize=1):
    """Choose the task this process runs (and the chunksize of the map it is
    given) and start its counter at 0."""
    global _task, _eager, _chunksize, counter
    _task, _eager = TASKS[name][0], TASKS[name][4]
    _chunksize = chunksize
    counter = 0


def task_function(name):
    """The function a pool maps for task name: the task itself, as in plain
    CPython (the workers' queues hand its chunks to run_chunk)."""
    return TASKS[name][0]


def run_item(i, n, listed=False):
    """Item i (n) run with its start and end as events; its result, or
    (listed) the result as a list: a chunk of one item, as a ThreadPool map
    at chunksize 1 hands it here with no call between (a call is 40 ns here,
    a sixth of what watching an item costs beyond its two clock reads). A
    fast item costs two clock reads and four list slots (formatted only
    when written); a slow one's start (or that of a task that prints or
    crashes) is written as it starts."""
    try:
        b = _tls.buf
    except AttributeError:
        b = buffer()
    t0 = _clock()
    if b.slow or _eager:
        r = _run_eager(b, i, n, t0)
        return [r] if listed else r
    r = _task(n)
    t1 = _clock()
    fl = b.flat
    if fl is None:
        fl = b.open_flat()
    fl += (i, t0, t1, r)
    if len(fl) >= b.flat_max or t1 > b.flush_by or t1 - t0 > SLOW_ITEM_NS:
        b.after_item(t1 - t0 > SLOW_ITEM_NS)
    return [r] if listed else r


def run_chunk(first, chunk):
    """What a worker runs for a chunk of a map in place of Pool's mapstar: the
    items chunk, indices first.., their results in order. An item is timed
    alone until items prove fast (under FAST_NS); then runs of them go as
    groups sized to last about GROUP_NS, timed per group, with no work
    between the items: the loop is Pool's own list(map(...)). Each group is
    one G event; its items' own times are not measured."""
    n = len(chunk)
    if n == 1:
        return run_item(first, chunk[0], True)
    if _eager:
        return [run_item(first + k, x) for k, x in enumerate(chunk)]
    b = buffer()
    out = []
    pos = 0
    task, clock = _task, _clock
    while pos < n:
        k = b.group
        if k <= 1 or b.slow:
            t0 = clock()
            out.append(run_item(first + pos, chunk[pos]))
            pos += 1
            b.group = 2 if clock() - t0 < FAST_NS and not b.slow else 1
            continue
        part = chunk[pos : pos + k]
        m = len(part)
        t0 = clock()
        out += map(task, part)
        t1 = clock()
        b.close_flat()
        b.parts.append((first + pos, t0, t1, out, pos, m))
        pos += m
        b.size += 96 + 16 * m
        per = (t1 - t0) // m
        b.group = 1 if per >= FAST_NS else max(1, min(GROUP_NS // (per + 1), 2 * k, GROUP_MAX))
        if b.size > _buf_max or t1 > b.flush_by:
            b.flush()
    return out


def _chunked(task):
    """A task the pool's queue gave a worker, (job, place, function, args,
    kwargs), watched: a chunk of the map (Pool's mapstar over the task) is run
    by run_chunk, one item (imap_unordered at chunksize 1: the task itself)
    by run_item; the place times the chunksize is the first item's index.
    None, the pool's end: the worker's own CPU goes first, then it ends."""
    if task.__class__ is tuple and len(task) == 5:
        f = task[2]
        if f is _mapstar:
            a = task[3][0]
            if a[0] is _task:
                return (task[0], task[1], run_chunk, (task[1] * _chunksize, a[1]), task[4])
        elif f is _task and len(task[3]) == 1:
            return (task[0], task[1], run_item, (task[1], task[3][0]), task[4])
    elif task is None:
        emit_cpu()
    return task


def _run_eager(b, i, n, t0):
    """run_item with the start written first (and at once if items are slow)."""
    b.add("S %d %s %d\n" % (i, b.pidtid, t0))
    if b.slow or t0 > b.flush_by:
        b.flush()  # the last item was slow: show this one as running now
    r = _task(n)
    t1 = _clock()
    if b.partial:
        _stdout.end_item(b, t1)
    b.add("E %d %d %s\n" % (i, t1, "-" if r is None else r))
    b.slow = t1 - t0 > SLOW_ITEM_NS
    if b.slow or t1 > b.flush_by:
        b.flush()
    return r


# --- in the workers -----------------------------------------------------------


class Creator:
    """Which thread of the parent starts a worker. The kernel's parent-death
    signal follows the thread that created a process, and Pool starts its
    replacement workers from a helper thread that ends with the pool: such a
    worker must not ask for it, or it dies while it may hold the task
    queue's lock, and Pool.terminate() then waits for ever."""

    def __init__(self):
        self.main_ident = threading.main_thread().ident
        self.by_main = None

    def __reduce__(self):
        # spawn and forkserver pickle the worker in the thread that starts it
        return (_creator, (threading.current_thread() is threading.main_thread(),))

    def started_by_main(self):
        """True if the parent's main thread started this process."""
        if self.by_main is not None:
            return self.by_main
        return threading.get_ident() == self.main_ident  # fork: that thread goes on here


def _creator(by_main):
    """Unpickle a Creator in a spawned worker."""
    c = Creator()
    c.by_main = by_main
    return c


def _die_with_parent(parent):
    """Ask the kernel to SIGKILL this process when its parent ends (Linux);
    parent: the pid the parent must have (0: any, as under forkserver)."""
    before = os.getppid()
    if parent and before != parent:
        os._exit(1)  # the parent is already gone
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        if libc.prctl(1, signal.SIGKILL, 0, 0, 0) != 0:  # PR_SET_PDEATHSIG
            return
    except Exception:
        return
    if os.getppid() != before:
        os._exit(1)  # the parent ended before the request took


def _on_sigterm(signum, frame):
    """A worker told to stop writes what it has buffered, then dies of it."""
    flush_events()
    signal.signal(signum, signal.SIG_DFL)
    os.kill(os.getpid(), signum)


def init_process_worker(task, events, started, parent, creator, chunksize):
    """Pool initializer of a process worker: dies with its parent, then
    events, task (of a map at chunksize), stdout, signals, the announce, and
    a release of the semaphore the parent counts. parent: the main pid (0
    under forkserver, whose server is the parent); creator: a Creator."""
    if not parent or creator.started_by_main():
        _die_with_parent(parent)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # mptutor (or the parent) decides
    signal.signal(signal.SIGTERM, _on_sigterm)
    try:
        open_events(events)
    except OSError:
        os._exit(2)
    reset_buffer()
    set_task(task, chunksize)
    sys.stdout = _stdout
    b = buffer()
    emit("W %d %d %d\n" % (b.pid, b.tid, time.monotonic_ns()))
    started.release()


def process_child(task, events, k, item, parent, creator):
    """The target of one Process of the process subcommand: dies with its
    parent (the main pid; 0 under forkserver, whose server is the parent), announces itself, runs item k with its start and end as events
    (what it prints as output events), says its CPU, and returns (exit 0)."""
    if not parent or creator.started_by_main():
        _die_with_parent(parent)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        open_events(events)
    except OSError:
        os._exit(2)
    reset_buffer()
    set_task(task)
    sys.stdout = _stdout
    b = buffer()
    b.add("W %d %d %d\n" % (b.pid, b.tid, time.monotonic_ns()))
    b.slow = True  # its start goes at once: the Process is seen running its item
    _run_eager(b, k, item, time.monotonic_ns())
    emit_cpu()


def init_thread_worker(started):
    """Pool initializer of a worker thread: its announce."""
    reset_buffer()
    b = buffer()
    emit("W %d %d %d\n" % (b.pid, b.tid, time.monotonic_ns()))
    started.release()


def use_event_stdout():
    """Print through events in this process (the serial and thread modes,
    where it is also the FIFO's only writer: see write_alone)."""
    sys.stdout = _stdout
    write_alone()


def _flush_wait(b):
    """Seconds left before b is old enough to be written anyway."""
    return (b.flush_by - time.monotonic_ns()) / 1e9


class WatchedSimpleQueue(multiprocessing.queues.SimpleQueue):
    """The task queue of a process pool. A worker that gets no task before
    its buffer is 2 ms old writes it before it waits on, so events never sit
    in an idle worker (and a busy one does not write after every item); the
    end sentinel flushes too. A worker reads its tasks as Connection.recv_bytes
    does, through a non-blocking open of the same pipe of its own: a task
    that is already there costs the reads plain CPython makes and no poll(2);
    where a read would block, one poll(2) waits the buffer's age out."""

    def get(self):
        b = getattr(_tls, "buf", None)
        if b is None or not b.parts:
            return _chunked(super().get())
        wait = _flush_wait(b)
        if wait <= 0 or not self._rlock.acquire(True, wait):
            b.flush()
            self._rlock.acquire()
        try:
            fd = self._own_fd()
            if fd < 0:  # no non-blocking open of the pipe: poll, then read
                wait = _flush_wait(b)
                if b.parts and (wait <= 0 or not self._ready(wait)):
                    b.flush()  # no task came while the buffer got old: idle
                res = self._reader.recv_bytes()
            else:
                (size,) = struct.unpack("!i", self._read(fd, 4, b))
                if size == -1:
                    (size,) = struct.unpack("!Q", self._read(fd, 8, None))
                res = self._read(fd, size, None)
        finally:
            self._rlock.release()
        return _chunked(multiprocessing.reduction.ForkingPickler.loads(res))

    def _own_fd(self):
        """This process's non-blocking open of the task pipe (Linux: through
        /proc/self/fd, a file description of its own, so the pipe's other
        readers still block), or -1 if there is none."""
        d = self.__dict__
        if d.get("_mptutor_pid") != os.getpid():
            try:
                fd = os.open("/proc/self/fd/%d" % self._reader.fileno(),
                             os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
            except OSError:
                fd = -1
            d["_mptutor_fd"] = fd
            d["_mptutor_pid"] = os.getpid()
        return d["_mptutor_fd"]

    def _read(self, fd, n, b):
        """n bytes of the task pipe (with the read lock held). Where a read
        would block: b given (the first read of a task), b is written unless
        a task comes before it is FLUSH_AGE old, then the read waits on."""
        data = b""
        while len(data) < n:
            try:
                chunk = os.read(fd, n - len(data))
            except BlockingIOError:
                if b is not None and b.parts:
                    wait = _flush_wait(b)
                    if wait <= 0 or not self._ready(wait):
                        b.flush()  # no task came while the buffer got old: idle
                    b = None
                else:
                    self._ready(None)
                continue
            if not chunk:
                if data:
                    raise OSError("got end of file during message")
                raise EOFError
            data = chunk if not data else data + chunk
        return data

    def _ready(self, wait):
        """Whether a task is there to read within wait seconds (None: wait
        until one is): one poll(2) (Connection.poll builds a selector each
        call, a cost per item)."""
        p = self.__dict__.get("_mptutor_poll")
        if p is None or self.__dict__.get("_mptutor_poll_pid") != os.getpid():
            p = self._mptutor_poll = select.poll()
            p.register(self._reader.fileno(), select.POLLIN)
            self._mptutor_poll_pid = os.getpid()
        if wait is None:
            return bool(p.poll())
        return bool(p.poll(max(1, int(wait * 1000 + 0.999))))  # ms, rounded up


class WatchedThreadQueue(queue.SimpleQueue):
    """The task queue of a thread pool. Its tasks come already watched (see
    watched_tasks): a worker's get only waits, and writes its buffered events
    if no task came within IDLE_S, so events never sit in an idle worker; the
    end sentinel writes its CPU. The per-item path of a ThreadPool at
    chunksize 1, kept lean: one timed wait, as plain CPython's one wait."""

    def get(self, block=True, timeout=None):
        if not block or timeout is not None:
            return _sq_get(self, block, timeout)
        try:
            res = _sq_get(self, True, IDLE_S)
        except queue.Empty:
            flush_events()
            res = _sq_get(self)
        if res is None:
            emit_cpu()
        return res


def watched_tasks(job, func, iterable, guarded):
    """The tasks of a thread pool's map, watched as they are made (in the
    pool's task handler thread, in place of Pool._guarded_task_generation,
    whose tasks they replace one for one): a chunk of the map's task
    (mapstar over it) is run by run_chunk (by run_item, listed, at one
    item), an item of imap_unordered at chunksize 1 by run_item, with the
    first item's index; anything else goes as Pool makes it (guarded: its
    own generator)."""
    if func is _mapstar:
        cs = _chunksize
        task = _task
        try:
            i = -1
            for i, x in enumerate(iterable):
                if x[0] is task:
                    c = x[1]
                    if len(c) == 1:
                        yield (job, i, run_item, (i * cs, c[0], True), {})
                    else:
                        yield (job, i, run_chunk, (i * cs, c), {})
                else:
                    yield (job, i, func, (x,), {})
        except Exception as e:
            yield (job, i + 1, multiprocessing.pool._helper_reraises_exception, (e,), {})
    elif func is _task:
        try:
            i = -1
            for i, x in enumerate(iterable):
                yield (job, i, run_item, (i, x), {})
        except Exception as e:
            yield (job, i + 1, multiprocessing.pool._helper_reraises_exception, (e,), {})
    else:
        yield from guarded(job, func, iterable)
