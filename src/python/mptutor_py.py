"""mptutor_py.py -- the Python side of mptutor's py-serial, py-process and
py-thread backends: runs one map with the installed interpreter's real
multiprocessing.Pool (or a thread pool, or a plain loop) and streams what
happens to mptutor as event lines. Standard library only; CPython 3.8+.

    python3 -u mptutor_py.py run --mode serial|pool|thread --task NAME
        --items-file PATH|- [--workers N] [--chunksize C] [--unordered]
        [--start-method fork|spawn|forkserver] [--events FIFO]
    python3 -u mptutor_py.py process --task NAME --items-file PATH|-
        [--join-after MS | --no-join] [--start-method fork|spawn|forkserver]
        [--events FIFO]
                                         one multiprocessing.Process per item,
                                         start()ed in a loop, each join()ed
                                         --join-after MS after its start or at
                                         its exit, whichever is later; --no-join:
                                         none until every one has exited (as
                                         Python's exit handler joins them)
    python3 mptutor_py.py pythons        this interpreter, as one JSON line

Exit status: 0 the map ran; 1 a worker died (the run was ended: CPython's
Pool would wait for its lost item for ever, gh-66587); 2 bad arguments or an
error (one line on stderr); 128+N ended by signal N (SIGINT, SIGTERM).

Events. Every process that sends events opens the FIFO (--events; default
stdout) write-only itself, as spawn and forkserver workers inherit no fds.
One event is one ASCII line, fields separated by one space; times t are
time.monotonic_ns() (CLOCK_MONOTONIC, the clock mptutor reads); pid and tid
are the kernel's (tid: threading.get_native_id()); a line is at most 4096
bytes, and each write holds whole lines and at most PIPE_BUF (4096) bytes,
so lines from several processes never interleave (where one process writes
alone, thread and serial modes, up to 32 KiB under a lock of that process).

    H proto impl version gil ft method pid t   hello: protocol 1, e.g. "cpython",
                                   "3.13.0", GIL enabled 0|1 (sys._is_gil_enabled()),
                                   free-threaded build 0|1, start method or "-",
                                   the main process
    W pid tid t                    a worker (process or thread) is up
    P t0 t1 workers                the pool: t0 before its construction, t1 once
                                   every worker announced itself (startup)
    B t items chunksize ordered    the map begins: item count, chunksize, 1 ordered
                                   (Pool.map), 0 unordered (imap_unordered)
    S index pid tid t              item index starts in that worker
    E index t result               it ends: a decimal int64, or "-" for None
    G pid tid first n t0 t1 hex    n (1..240) fast items, indices first..first+n-1,
                                   that ran back to back in that worker from t0 to t1,
                                   timed as a group, not one by one: hex is 16*n hex
                                   digits, each item's result as an int64 of 8
                                   little-endian bytes
    Q pid tid n hex                n (1..63) fast items that ran in that worker, in
                                   order, each as its S then its E: hex is 64*n
                                   lowercase hex digits, per item 4 int64 of 8
                                   little-endian bytes: index, start t, end t, result
                                   (an item returning None goes as S and E)
    O pid tid t more text          a line the task printed; more 1: the line goes
                                   on in the next O of that thread. text: printable
                                   ASCII, "\\\\" a backslash, "\\xHH" any other byte
                                   of the line's UTF-8
    U pid tid cpu                  a worker's own CPU time (ns, time.thread_time_ns) since
                                   its W, read by itself as it ends (after its last item)
    K pid signal status t          a worker died during the map: by signal (>0),
                                   or exited with status (signal 0)
    M t                            the map ended (its last result in the parent)
    Y sent recvd nsent nrecvd      bytes pickled to and from the workers during the
                                   map, and the message counts: the pickles the
                                   parent writes to the task pipe and reads from the
                                   result pipe (tasks: function reference and chunk of
                                   items, as plain CPython; results: the chunk's results),
                                   without the pipe's length headers. 0 for threads
    C value                        the counter task's global as the parent reads it
    X t text                       an error (text escaped as in O); the run ends
    D t status                     the last line: the exit status above

The process subcommand's own events (k: the Process's place, 0-based):

    A k item t                     Process(target=task, args=(item,)) is made
    R k pid t0 t1                  its start(): called at t0, returned at t1
    Z k t                          the parent saw it exit (its sentinel): a zombie,
                                   its exit status not collected, until its join
    J k exitcode t                 join() returned: exitcode as Process.exitcode
                                   (-N: killed by signal N)

and from each child: W, S and E of its item (index k), O of what it printed,
U of its CPU. The parent reads no exitcode before it joins (that would reap).

Order: H first; W of every first worker before P; S of an item before its E
(a Q or G item is both, in that order);
D last, after every worker has exited. A worker buffers its lines and writes
them when its buffer is full, 2 ms old, before it waits for work, and at
once around items longer than 1 ms (so a long item shows as running).
"""

import argparse
import json
import os
import platform
import signal
import sys
import sysconfig
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import multiprocessing  # noqa: E402
import multiprocessing.connection  # noqa: E402
import multiprocessing.pool  # noqa: E402
import multiprocessing.reduction  # noqa: E402

import mptutor_tasks as mt  # noqa: E402

PROTOCOL = 1
MAX_ITEMS = 1000000
MAX_WORKERS = 1024
STARTUP_TIMEOUT_S = 60.0


class UsageError(Exception):
    """Bad arguments or input: one line on stderr, exit 2."""


class Stop(BaseException):
    """SIGINT or SIGTERM arrived in the main process."""

    def __init__(self, signum):
        super().__init__(signum)
        self.signum = signum


class WorkerDied(Exception):
    """A pool worker died during the run (already reported as K)."""


def gil_enabled():
    """Whether the GIL is on in this process now."""
    f = getattr(sys, "_is_gil_enabled", None)
    return bool(f()) if f else True


def free_threaded_build():
    """Whether this interpreter was built free-threaded (Py_GIL_DISABLED)."""
    return bool(sysconfig.get_config_var("Py_GIL_DISABLED"))


def now():
    return time.monotonic_ns()


def serialize_forkserver_poll(ctx):
    """Where ctx starts workers by forkserver, make their exit codes safe to
    read from two threads. Its Popen.poll reads a worker's exit code from a
    socket once the socket is readable; this script's map loop and the Pool's worker handler
    thread both wait on the same sentinels, so both wake at a worker's death,
    one reads the code and the other reads EOF and records 255, sometimes
    over the right code (a crash by SIGSEGV then reads as exit 255). One
    lock around the read; a blocking poll waits outside it."""
    if ctx.get_start_method() != "forkserver":
        return
    try:
        from multiprocessing import popen_forkserver
    except ImportError:
        return
    read = popen_forkserver.Popen.poll
    if getattr(read, "mptutor_serialized", False):
        return
    lock = threading.Lock()

    def poll(self, flag=os.WNOHANG):
        if flag != os.WNOHANG and self.returncode is None:
            multiprocessing.connection.wait([self.sentinel])
        with lock:
            return read(self, os.WNOHANG)

    poll.mptutor_serialized = True
    popen_forkserver.Popen.poll = poll


# --- the pools ----------------------------------------------------------------


class WatchedPool(multiprocessing.pool.Pool):
    """multiprocessing.Pool whose task queue flushes worker events before a
    worker waits, whose parent counts the bytes it pickles each way, and
    which starts no replacement workers."""

    def _setup_queues(self):
        self._inqueue = mt.WatchedSimpleQueue(ctx=self._ctx)
        self._outqueue = self._ctx.SimpleQueue()
        counts = self.mptutor_counts = [0, 0, 0, 0]
        send = self._inqueue._writer.send_bytes
        recv = self._outqueue._reader.recv_bytes
        dumps = multiprocessing.reduction.ForkingPickler.dumps
        loads = multiprocessing.reduction.ForkingPickler.loads

        def quick_put(obj):  # what Connection.send does, counted
            data = dumps(obj)
            counts[0] += len(data)
            counts[2] += 1
            send(data)

        def quick_get():  # what Connection.recv does, counted
            data = recv()
            counts[1] += len(data)
            counts[3] += 1
            return loads(data)

        self._quick_put = quick_put
        self._quick_get = quick_get

    def __init__(self, *args, **kwargs):
        self._mptutor_built = False
        self.Process = self._mptutor_process  # what Pool starts its workers with
        super().__init__(*args, **kwargs)
        self._mptutor_built = True

    def _mptutor_process(self, ctx, *args, **kwargs):
        """A real worker while the pool is built, then none: the run ends at
        the first death (reported as K), and a replacement, started from the
        pool's helper thread, could not ask to die with its parent (see
        mptutor_tasks.Creator)."""
        if self._mptutor_built:
            return NoWorker()
        return ctx.Process(*args, **kwargs)


class NoWorker:
    """The place of a dead worker in the pool's list: never started, never alive."""

    name = "NoWorker"
    daemon = True
    exitcode = None

    def start(self):
        pass

    def is_alive(self):
        return False

    def terminate(self):
        pass

    def join(self, timeout=None):
        pass


class WatchedThreadPool(multiprocessing.pool.ThreadPool):
    """multiprocessing.pool.ThreadPool whose tasks are watched as they are
    made and whose task queue flushes worker events."""

    mptutor_counts = [0, 0, 0, 0]  # nothing is pickled between threads

    def _setup_queues(self):
        super()._setup_queues()
        self._inqueue = mt.WatchedThreadQueue()
        self._quick_put = self._inqueue.put

    def _guarded_task_generation(self, result_job, func, iterable):
        return mt.watched_tasks(result_job, func, iterable, super()._guarded_task_generation)


# --- one run ------------------------------------------------------------------


def default_chunksize(n, workers):
    """CPython's Pool.map rule: ceil(n / (4 * workers)); 0 items -> 0."""
    c, extra = divmod(n, workers * 4)
    return c + 1 if extra else c


def read_items(path, task):
    """The items, one decimal int64 a line, each in the task's range."""
    lo, hi = mt.TASKS[task][2], mt.TASKS[task][3]
    try:
        if path == "-":
            text = sys.stdin.read()
        else:
            with open(path) as f:
                text = f.read()
    except OSError as e:
        raise UsageError("cannot read the items file %s: %s" % (path, e.strerror))
    except UnicodeDecodeError:
        raise UsageError("the items file %s is not text" % path)
    items = []
    for no, line in enumerate(text.splitlines(), 1):
        s = line.strip()
        if not s:
            continue
        digits = s[1:] if s[0] in "+-" else s
        if not digits.isdigit() or not digits.isascii() or len(digits) > 19:
            raise UsageError("items line %d: %r is not a decimal int64" % (no, line[:40]))
        n = int(s)
        if not lo <= n <= hi:
            raise UsageError("items line %d: %d is out of range for %s (allowed: %d..%d)"
                             % (no, n, task, lo, hi))
        items.append(n)
        if len(items) > MAX_ITEMS:
            raise UsageError("more than %d items" % MAX_ITEMS)
    return items


def deaths(known):
    """Workers that ended since the last look, as (pid, exitcode); known is
    updated with workers the pool started meanwhile."""
    for p in multiprocessing.active_children():
        known.setdefault(p.pid, p)
    dead = []
    for pid, p in list(known.items()):
        code = p.exitcode
        if code is not None:
            del known[pid]
            dead.append((pid, code))
    return dead


def report_deaths(dead):
    """K events for dead workers; raises WorkerDied if there are any."""
    for pid, code in dead:
        sig, status = (-code, 0) if code < 0 else (0, code)
        mt.emit("K %d %d %d %d\n" % (pid, sig, status, now()))
    if dead:
        raise WorkerDied()


def wait_started(started, count, known):
    """Wait until count workers announced themselves, watching for deaths."""
    deadline = time.monotonic() + STARTUP_TIMEOUT_S
    for _ in range(count):
        while not started.acquire(True, 0.05):
            if known is not None:
                report_deaths(deaths(known))
            if time.monotonic() > deadline:
                raise RuntimeError("the workers did not start within %d s" % STARTUP_TIMEOUT_S)


def run_map(pool, func, items, chunksize, ordered, known):
    """The map of func over items on the pool, as plain CPython calls it (the
    workers' task queues watch each chunk); returns the time it ended."""
    done_r, done_w = os.pipe()
    box = {}

    def finished(_=None):
        box["t"] = now()
        os.write(done_w, b".")

    def failed(e):
        box["error"] = e
        finished()

    def consume(it):
        try:
            for _ in it:
                pass
        except Exception as e:
            box["error"] = e
        finished()

    try:
        if not items:
            finished()
        elif ordered:
            pool.map_async(func, items, chunksize, callback=finished, error_callback=failed)
        else:
            it = pool.imap_unordered(func, items, chunksize)
            threading.Thread(target=consume, args=(it,), daemon=True).start()
        while True:
            waits = [done_r]
            if known is not None:
                waits += [p.sentinel for p in known.values()]
            ready = multiprocessing.connection.wait(waits, 0.1)
            if done_r in ready:
                break
            if known is not None:
                report_deaths(deaths(known))
    finally:
        os.close(done_r)
        os.close(done_w)
    if "error" in box:
        e = box["error"]
        raise RuntimeError("the map raised %s: %s" % (type(e).__name__, e))
    return box["t"]


def end_pool(pool, known):
    """Stop a pool on a path other than the normal one; True if it stopped
    cleanly (CPython's terminate() can hang when a worker died holding the
    task queue's lock, so it gets 2 s, and the workers are killed anyway)."""
    procs = list(known.values()) if known else []
    procs += [p for p in multiprocessing.active_children() if p not in procs]
    clean = True
    if pool is not None:
        # first, as it relies on idle workers taking its sentinels: a worker
        # killed while it waits for a task holds the queue's lock for ever
        th = threading.Thread(target=pool.terminate, daemon=True)
        th.start()
        th.join(2.0)
        clean = not th.is_alive()
    for p in procs:
        if p.exitcode is None:
            try:
                p.terminate()
            except Exception:
                pass
    deadline = time.monotonic() + 1.0
    for p in procs:
        p.join(max(0.0, deadline - time.monotonic()))
        if p.exitcode is None:
            p.kill()
            p.join(0.5)
    return clean


def run(args):
    """The run subcommand: returns the exit status."""
    task = args.task
    items = read_items(args.items_file, task)
    workers = 1 if args.mode == "serial" else args.workers
    chunksize = args.chunksize or max(default_chunksize(len(items), workers), 1)
    ctx = None
    method = "-"
    if args.mode == "pool":
        if args.start_method and args.start_method not in multiprocessing.get_all_start_methods():
            raise UsageError("start method %s is not available here (allowed: %s)"
                             % (args.start_method, ", ".join(multiprocessing.get_all_start_methods())))
        ctx = multiprocessing.get_context(args.start_method)
        method = ctx.get_start_method()
        serialize_forkserver_poll(ctx)
    try:
        mt.open_events(args.events)
    except OSError as e:
        raise UsageError("cannot open the events FIFO %s: %s" % (args.events, e.strerror))
    mt.set_task(task, chunksize)
    main_pid = os.getpid()
    mt.emit("H %d %s %s %d %d %s %d %d\n" % (
        PROTOCOL, sys.implementation.name, platform.python_version(), gil_enabled(),
        free_threaded_build(), method, main_pid, now()))

    def on_signal(signum, frame):
        if os.getpid() != main_pid:  # a forked worker before its initializer
            signal.signal(signum, signal.SIG_DFL)
            os.kill(os.getpid(), signum)
            return
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        raise Stop(signum)

    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)
    pool = None
    known = {} if args.mode == "pool" else None
    status = 0
    try:
        t0 = now()
        if args.mode == "pool":
            started = ctx.Semaphore(0)
            parent = 0 if method == "forkserver" else main_pid
            pool = WatchedPool(workers, mt.init_process_worker,
                               (task, args.events, started, parent, mt.Creator(), chunksize),
                               context=ctx)
            deaths(known)
            wait_started(started, workers, known)
        elif args.mode == "thread":
            started = threading.Semaphore(0)
            mt.use_event_stdout()
            pool = WatchedThreadPool(workers, mt.init_thread_worker, (started,))
            wait_started(started, workers, None)
        else:
            mt.use_event_stdout()
            b = mt.buffer()
            mt.emit("W %d %d %d\n" % (b.pid, b.tid, t0))
        t1 = now() if pool is not None else t0
        mt.emit("P %d %d %d\n" % (t0, t1, workers))
        mt.emit("B %d %d %d %d\n" % (now(), len(items), chunksize, 0 if args.unordered else 1))
        if pool is None:
            mt.run_chunk(0, items)
            mt.emit_cpu()
            mt.flush_events()
            t_end = now()
            counts = (0, 0, 0, 0)
        else:
            t_end = run_map(pool, mt.task_function(task), items, chunksize,
                            not args.unordered, known)
            counts = tuple(pool.mptutor_counts)
        mt.emit("M %d\n" % t_end)
        mt.emit("Y %d %d %d %d\n" % counts)
        mt.emit("C %d\n" % mt.counter)
        if pool is not None:
            pool.close()
            pool.join()
    except WorkerDied:
        status = 1
    except Stop as e:
        status = 128 + e.signum
    except Exception as e:
        mt.flush_events()
        mt.emit("X %d %s\n" % (now(), mt.escape("%s: %s" % (type(e).__name__, e))))
        status = 2
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    clean = True
    if status != 0:
        mt.flush_events()
        if args.mode == "pool":
            clean = end_pool(pool, known)
        elif args.mode == "thread":
            clean = False  # threads cannot be stopped: the process ends them
    mt.emit("D %d %d\n" % (now(), status))
    sys.stdout = sys.__stdout__
    if not clean:
        os._exit(status)
    return status


# --- process: Processes, not a pool -----------------------------------------------


def process(args):
    """The process subcommand: returns the exit status (0; 1 if a Process
    died by a signal or exited non-zero; 128+N stopped by signal N)."""
    items = read_items(args.items_file, args.task)
    if not 1 <= len(items) <= 64:
        raise UsageError("%d items: one Process per item, 1..64 of them" % len(items))
    if args.start_method and args.start_method not in multiprocessing.get_all_start_methods():
        raise UsageError("start method %s is not available here (allowed: %s)"
                         % (args.start_method, ", ".join(multiprocessing.get_all_start_methods())))
    ctx = multiprocessing.get_context(args.start_method)
    serialize_forkserver_poll(ctx)
    try:
        mt.open_events(args.events)
    except OSError as e:
        raise UsageError("cannot open the events FIFO %s: %s" % (args.events, e.strerror))
    main_pid = os.getpid()
    mt.emit("H %d %s %s %d %d %s %d %d\n" % (
        PROTOCOL, sys.implementation.name, platform.python_version(), gil_enabled(),
        free_threaded_build(), ctx.get_start_method(), main_pid, now()))

    def on_signal(signum, frame):
        if os.getpid() != main_pid:
            signal.signal(signum, signal.SIG_DFL)
            os.kill(os.getpid(), signum)
            return
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        raise Stop(signum)

    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)
    join_after = args.join_after * 1000000
    parent = 0 if ctx.get_start_method() == "forkserver" else main_pid  # the server forks them
    procs, started, exited, joined = [], {}, {}, set()
    status = 0
    try:
        for k, item in enumerate(items):
            p = ctx.Process(target=mt.process_child,
                            args=(args.task, args.events, k, item, parent, mt.Creator()))
            mt.emit("A %d %d %d\n" % (k, item, now()))
            t0 = now()
            p.start()
            t1 = now()
            started[k] = t0
            procs.append(p)
            mt.emit("R %d %d %d %d\n" % (k, p.pid, t0, t1))
        while len(joined) < len(procs):
            waiting = {procs[k].sentinel: k for k in range(len(procs)) if k not in exited}
            t = now()
            if args.no_join:
                due = sorted(exited) if len(exited) == len(procs) else []
            else:
                due = [k for k in exited if k not in joined and t - started[k] >= join_after]
            for k in due:
                procs[k].join()  # reaps it: only now is its exit status read
                code = procs[k].exitcode
                joined.add(k)
                if code != 0:
                    status = 1
                mt.emit("J %d %d %d\n" % (k, code, now()))
            if len(joined) == len(procs):
                break
            waits = [] if args.no_join else [started[k] + join_after - t
                                             for k in exited if k not in joined]
            timeout = max(0.0, min(waits) / 1e9) if waits else None
            for fd in multiprocessing.connection.wait(list(waiting), timeout):
                exited[waiting[fd]] = now()
                mt.emit("Z %d %d\n" % (waiting[fd], exited[waiting[fd]]))
    except Stop as e:
        status = 128 + e.signum
        for p in procs:
            if p.pid is not None:
                try:
                    os.kill(p.pid, signal.SIGKILL)
                except OSError:
                    pass
        for p in procs:
            p.join(1.0)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    mt.emit("D %d %d\n" % (now(), status))
    return status


# --- pythons --------------------------------------------------------------------


def probe():
    """This interpreter as a dict (what `mptutor pythons` shows)."""
    import importlib.util

    try:
        import concurrent.futures as cf

        ipe = hasattr(cf, "InterpreterPoolExecutor")
    except Exception:
        ipe = False
    try:
        interpreters = importlib.util.find_spec("concurrent.interpreters") is not None
    except Exception:
        interpreters = False
    return {
        "protocol": PROTOCOL,
        "executable": sys.executable,
        "version": platform.python_version(),
        "implementation": sys.implementation.name,
        "free_threaded_build": free_threaded_build(),
        "gil_enabled": gil_enabled(),
        "start_methods": multiprocessing.get_all_start_methods(),
        "default_start_method": multiprocessing.get_start_method(),
        "interpreters": interpreters,
        "interpreter_pool": ipe,
    }


# --- arguments ------------------------------------------------------------------


class Parser(argparse.ArgumentParser):
    """argparse with its errors as one line on stderr and exit 2."""

    def error(self, message):
        raise UsageError(message)


def positive(text):
    """An argparse type: a decimal integer >= 1."""
    try:
        v = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError("%r is not a number" % text)
    if v < 1:
        raise argparse.ArgumentTypeError("%r must be 1 or more" % text)
    return v


def default_workers():
    """The CPUs this process may use (os.process_cpu_count() of 3.13)."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def parse(argv):
    """The command line as a namespace."""
    p = Parser(prog="mptutor_py.py", description="the Python side of mptutor's py-* backends")
    sub = p.add_subparsers(dest="command")
    r = sub.add_parser("run", help="run one map and stream its events")
    r.error = p.error
    r.add_argument("--mode", choices=("serial", "pool", "thread"), required=True)
    r.add_argument("--task", choices=sorted(mt.TASKS), required=True)
    r.add_argument("--workers", type=positive, default=default_workers())
    r.add_argument("--chunksize", type=positive)
    r.add_argument("--unordered", action="store_true")
    r.add_argument("--start-method", choices=("fork", "spawn", "forkserver"))
    r.add_argument("--events", help="the FIFO to write events to (default stdout)")
    r.add_argument("--items-file", required=True, help="one decimal int64 a line; - for stdin")
    q = sub.add_parser("process", help="one multiprocessing.Process per item, streamed")
    q.error = p.error
    q.add_argument("--task", choices=sorted(mt.TASKS), required=True)
    q.add_argument("--items-file", required=True, help="one decimal int64 a line; - for stdin")
    q.add_argument("--join-after", type=int, default=0, help="ms after start() to join()")
    q.add_argument("--no-join", action="store_true", help="join none until all have exited")
    q.add_argument("--start-method", choices=("fork", "spawn", "forkserver"))
    q.add_argument("--events", help="the FIFO to write events to (default stdout)")
    sub.add_parser("pythons", help="describe this interpreter as one JSON line").error = p.error
    args = p.parse_args(argv)
    if args.command is None:
        raise UsageError("a subcommand is needed (allowed: run, process, pythons)")
    if args.command == "process" and not 0 <= args.join_after <= 600000:
        raise UsageError("--join-after %d is out of range (allowed: 0..600000)" % args.join_after)
    if args.command == "run":
        if args.workers > MAX_WORKERS:
            raise UsageError("--workers %d is more than %d" % (args.workers, MAX_WORKERS))
        if args.start_method and args.mode != "pool":
            raise UsageError("--start-method is for --mode pool only")
    return args


def main(argv):
    """Entry point: returns the exit status."""
    try:
        args = parse(argv)
        if args.command == "pythons":
            print(json.dumps(probe()))
            return 0
        if args.command == "process":
            return process(args)
        return run(args)
    except UsageError as e:
        sys.stderr.write("mptutor_py.py: %s\n" % e)
        return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
