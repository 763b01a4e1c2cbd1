/*
 * threadsample.h — the real CPython GIL measured from outside: a sampler
 * thread reads, at a fixed rate, the kernel's view of each thread of one
 * process (/proc/<pid>/task/<tid>/syscall and stat), classifies every reading
 * as on a CPU, blocked in futex, blocked in I/O or other, and keeps the
 * readings with their CLOCK_MONOTONIC times. Given a thread's item intervals
 * (when it started and ended each item of a map), the readings inside them
 * add up to the time it held the GIL, waited for it and was in I/O.
 *
 * Contract (call order and ownership):
 *   threadsample_start()    starts the sampler thread on pid; the caller owns
 *                           the returned sampler and frees it;
 *   threadsample_add_tid()  registers a thread (its native id) at any time,
 *                           from any thread; its files are opened there and
 *                           kept open (each reading is a pread at offset 0);
 *   threadsample_totals()   may be called while sampling goes on (it sees the
 *                           readings so far) or after stop; intervals are the
 *                           caller's, only read;
 *   threadsample_stop()     stops and joins the sampler (at most one period
 *                           later); readings stay for totals and info;
 *   threadsample_free()     stops if need be, closes every file, frees.
 * A thread whose files vanish or that is seen dead (Z, X) is no longer read;
 * a process that exits ends every thread's sampling, never the sampler's
 * loop, so stop never hangs. Every function is thread-safe (one mutex).
 *
 * Classification of one reading (threadsample_classify):
 *   syscall file readable (it needs ptrace-attach rights: our own children):
 *     "running"           -> ON_CPU. The kernel prints it for a task in
 *                            TASK_RUNNING: on a CPU, or runnable on a run
 *                            queue (the state letter R);
 *     futex (SYS_futex, SYS_futex_waitv)               -> FUTEX;
 *     sleeps, fd waits, reads and writes, socket calls, child waits
 *     (nanosleep, clock_nanosleep, select, pselect6, poll, ppoll,
 *     epoll_wait/pwait/pwait2, read, write, readv, writev, pread64,
 *     pwrite64, recvfrom, recvmsg, sendto, sendmsg, accept, accept4,
 *     connect, wait4, waitid; SYS_* constants, so aarch64 numbers too)
 *                         -> IO;
 *     anything else, or -1 (asleep outside a system call)    -> OTHER.
 *   The syscall file decides: it is read after stat, and the kernel prints
 *   a number only for a task that stayed asleep while it was read, so when
 *   the two disagree (a thread changed state between the reads) the later,
 *   self-consistent one wins. Stat's letter decides only Z/X (dead) and T/t
 *   (stopped: OTHER).
 *   syscall file not readable: wchan (source THREADSAMPLE_SRC_WCHAN) with the
 *   stat letter: R -> ON_CPU; a wchan naming futex -> FUTEX; one naming a
 *   sleep, poll/select/epoll, pipe, socket or child wait -> IO; else OTHER.
 *
 * Attribution (threadsample_attribute, pure; threadsample_totals applies it
 * to a sampled thread). A reading at t inside one of the thread's items
 * [start, end) stands for the time since that thread's previous reading (the
 * achieved period, the nominal one for a first reading), cut at the item's
 * start: ON_CPU adds to held, FUTEX to wait, IO to io, OTHER to other.
 * Readings outside every item count nothing: an idle pool thread waits for
 * work on a futex too, and that is not waiting for the GIL. An end of
 * THREADSAMPLE_OPEN is an item still running.
 *   Under a GIL (THREADSAMPLE_GIL) one more rule: at most one thread holds
 *   it. "running" also covers a runnable thread that is not on a CPU, and a
 *   GIL waiter wakes every switch interval (its timed wait ends, it asks the
 *   holder to drop) and is runnable until it gets a CPU — on a loaded
 *   machine that can be milliseconds. Measured with two CPU-bound threads
 *   on a 2-core machine with another process busy (3.11 and 3.13 alike),
 *   each thread read "running" in about two thirds of its readings, though
 *   the process used less than one core. So when several sampled threads
 *   read ON_CPU in the same tick, the one that has read ON_CPU for the most
 *   consecutive ticks is the holder; the others were woken from the GIL
 *   wait and count as wait (and in `woken_s`). Equal runs are left as held
 *   (we cannot tell which one holds it).
 *
 * The stated error (threadsample_totals: err_s, per thread and per class):
 *   err_s = T * (2k + sqrt(n)), T the achieved mean period, k the items that
 *   have readings, n the readings counted. 2k: each item edge misplaces at
 *   most one period (the readings next to it stand for time partly outside
 *   it or in the other state). sqrt(n): were the readings independent draws
 *   of the thread's state, a class's count would have a standard deviation
 *   of at most sqrt(n)/2 readings, so sqrt(n) is a 95 % bound; periodic
 *   readings of a state that changes every few ms do better than independent
 *   ones unless the state is periodic at the sampling rate, and the GIL's
 *   switch interval restarts at every hand-off, so it is not locked to our
 *   clock. Not in err_s and said so: a GIL holder preempted by the kernel is
 *   still held (right: it still holds it); a lone waiter woken and runnable
 *   counts as held for as long as it is runnable (a few microseconds per
 *   switch interval on an idle machine); C code that releases the GIL while
 *   computing counts as held.
 *
 * What CPython does, seen this way (3.11 and 3.13, GIL builds, x86_64): a
 * thread that wants the GIL locks the GIL's mutex and, while the GIL is held,
 * waits on its condition with a timeout of the switch interval
 * (pthread_cond_timedwait): in the syscall file that is futex (202) with op
 * 0x89 (FUTEX_WAIT_BITSET | FUTEX_PRIVATE_FLAG, CLOCK_MONOTONIC) and a
 * timeout pointer, on both versions, in every waiting reading we took; a
 * holder asked to drop it waits on the switch condition (futex, no timeout)
 * until the waiter has taken it. A thread blocked in a lock or a queue
 * (Thread.join, an idle pool worker) is in futex too, op 0x189 (the same
 * with FUTEX_CLOCK_REALTIME, from sem_wait) and no timeout — which is why
 * only readings inside items count as GIL wait. Two CPU-bound threads for
 * 1.5 s, sampled at 1 kHz, came out held 0.74..0.77 s and wait 0.73..0.76 s
 * each (±0.043 s stated), of which 0.01..0.30 s was woken, on both versions.
 *
 * The default rate, 1 kHz (tests/bench/bench_gilsample.c measures it): on
 * the 2-core machine it was chosen on, a timed wake-up alone costs ~28 us of
 * CPU and a reading (two preads and their parsing) 5..10 us more, so the
 * sampler took 4.7 % of one core with 2 threads and 8.5 % with 8, and got
 * 770..970 ticks a second under load. 250 Hz costs 1.7..3.2 % but doubles
 * err_s (a 1.5 s item: ±86 ms instead of ±42 ms); 4 kHz costs 14..28 %.
 */
#ifndef MPTUTOR_THREADSAMPLE_H
#define MPTUTOR_THREADSAMPLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define THREADSAMPLE_DEFAULT_HZ 1000.0 /* the default rate: see bench_gilsample */
#define THREADSAMPLE_MIN_HZ 1.0        /* rates outside these are refused */
#define THREADSAMPLE_MAX_HZ 20000.0
#define THREADSAMPLE_MAX_TIDS 1024  /* threads one sampler reads */
#define THREADSAMPLE_OPEN INT64_MAX /* the end of an item still running */
#define THREADSAMPLE_GIL 1          /* flag: one GIL, at most one holder */

/* What one reading says a thread was doing. */
enum threadsample_class {
	THREADSAMPLE_ON_CPU, /* running or runnable: holding the GIL, inside an item */
	THREADSAMPLE_FUTEX,  /* blocked in futex: waiting for the GIL, inside an item */
	THREADSAMPLE_IO,     /* blocked in a sleep, a read, a poll...: GIL released */
	THREADSAMPLE_OTHER,  /* any other system call, stopped, or unknown */
	THREADSAMPLE_CLASSES
};

/* Where a thread's readings come from. */
enum threadsample_source {
	THREADSAMPLE_SRC_SYSCALL, /* /proc/<pid>/task/<tid>/syscall (and stat) */
	THREADSAMPLE_SRC_WCHAN    /* /proc/<pid>/task/<tid>/wchan (and stat) */
};

/* A parsed syscall file. */
struct threadsample_syscall {
	bool running;               /* "running": the task was runnable */
	long nr;                    /* the system call it is blocked in; -1 outside one */
	unsigned long long args[6]; /* its arguments (futex: uaddr, op, val, timeout...) */
};

/* One reading of one thread. */
struct threadsample_sample {
	int64_t t_ns;    /* CLOCK_MONOTONIC, just before the files were read */
	uint32_t tick;   /* the sampler's tick: readings of one tick share it */
	uint32_t streak; /* ON_CPU readings in a row ending here (0 if not ON_CPU) */
	uint8_t cls;     /* enum threadsample_class */
	char state;      /* stat's state letter */
	int16_t cpu;     /* stat's processor: the CPU it last ran on */
};

/* One item of one thread, CLOCK_MONOTONIC ns: [start_ns, end_ns). */
struct threadsample_interval {
	int64_t start_ns;
	int64_t end_ns; /* THREADSAMPLE_OPEN: still running */
};

/* A thread's time inside its items, by class, in seconds. */
struct threadsample_totals {
	double held_s;                   /* ON_CPU: holding the GIL */
	double wait_s;                   /* FUTEX, and woken_s: waiting for the GIL */
	double woken_s;                  /* the part of wait_s read ON_CPU beside the holder */
	double io_s;                     /* IO: blocked with the GIL released */
	double other_s;                  /* OTHER */
	size_t samples;                  /* readings counted (inside items) */
	size_t items;                    /* intervals with at least one reading */
	double err_s;                    /* the stated error of each of the figures above */
	unsigned long long utime, stime; /* clock ticks at the last reading */
	int source;                      /* enum threadsample_source */
	bool gone;                       /* its files vanished: no longer read */
};

/* The sampler as a whole. */
struct threadsample_info {
	double rate_hz;     /* asked for */
	double achieved_hz; /* ticks per second from the first tick to the last */
	double period_s;    /* 1 / achieved_hz (the nominal period before two ticks) */
	double max_gap_s;   /* the longest time between two ticks */
	uint32_t ticks;     /* ticks so far */
	double cpu_s;       /* the sampler thread's own CPU time */
	double wall_s;      /* from start to the last tick */
	size_t tids;        /* threads registered */
};

struct threadsample;

/* Parse a syscall file's text of len bytes; -1 if it is malformed. */
int threadsample_parse_syscall(const char *text, size_t len, struct threadsample_syscall *out);
/* Class of a reading: stat's state letter and the syscall file (NULL if it
 * could not be read: then wchan's text, which may be NULL too). */
int threadsample_classify(char state, const struct threadsample_syscall *sc, const char *wchan);
/* "on-cpu", "futex", "io", "other". */
const char *threadsample_class_name(int cls);
/* Add up one thread's readings s[0..n) inside its intervals iv[0..niv) (any
 * order, not overlapping). others[j][0..others_n[j]) are the other threads'
 * readings, used under flags & THREADSAMPLE_GIL. period_ns stands for a
 * first reading and for T in err_s. */
void threadsample_attribute(const struct threadsample_sample *s, size_t n,
                            const struct threadsample_sample *const *others, const size_t *others_n,
                            size_t n_others, int flags, int64_t period_ns,
                            const struct threadsample_interval *iv, size_t niv,
                            struct threadsample_totals *out);

/* A change of what a thread was doing inside its items, as the totals
 * attribute it: from t_ns on it was in class cls (enum threadsample_class,
 * the GIL rule applied: a woken reading is FUTEX), or -1: outside every item
 * (the item ended). The time a reading stands for starts the change. */
struct threadsample_change {
	int64_t t_ns;
	int cls;
};
/* The changes of one thread's readings s[0..n) inside iv[0..niv), with the
 * same arguments as threadsample_attribute: at most max into buf, in time
 * order, none repeating the one before; returns how many (-1: out of memory). */
long threadsample_changes_of(const struct threadsample_sample *s, size_t n,
                             const struct threadsample_sample *const *others,
                             const size_t *others_n, size_t n_others, int flags, int64_t period_ns,
                             const struct threadsample_interval *iv, size_t niv,
                             struct threadsample_change *buf, size_t max);

/* Start sampling pid's threads at rate_hz (0: the default); flags:
 * THREADSAMPLE_GIL or 0. -1 and a message if it cannot. */
int threadsample_start(pid_t pid, double rate_hz, int flags, struct threadsample **out, char *err,
                       size_t errlen);
/* Register thread tid of the sampled pid (a second time is a no-op). */
int threadsample_add_tid(struct threadsample *ts, pid_t tid, char *err, size_t errlen);
/* Thread tid's totals inside intervals iv[0..niv) so far; -1 if tid is not
 * registered. */
int threadsample_totals(struct threadsample *ts, pid_t tid, const struct threadsample_interval *iv,
                        size_t niv, struct threadsample_totals *out, char *err, size_t errlen);
/* Thread tid's changes inside iv[0..niv) so far, as threadsample_changes_of
 * gives them; -1 if tid is not registered or out of memory. */
long threadsample_changes(struct threadsample *ts, pid_t tid,
                          const struct threadsample_interval *iv, size_t niv,
                          struct threadsample_change *buf, size_t max);
/* Copy up to max of thread tid's readings into buf; returns how many it has
 * (-1 if not registered). */
long threadsample_samples(struct threadsample *ts, pid_t tid, struct threadsample_sample *buf,
                          size_t max);
/* The achieved rate, gaps and the sampler's own cost so far. */
void threadsample_info(struct threadsample *ts, struct threadsample_info *out);
/* Stop and join the sampler thread (idempotent). */
void threadsample_stop(struct threadsample *ts);
/* Stop, close every file and free; NULL is fine. */
void threadsample_free(struct threadsample *ts);

#endif
