/*
 * pyevent.h — the event lines that src/python/mptutor_py.py writes while it
 * runs a map on the real CPython, and a pure parser of one line into a
 * struct. The parser does no I/O and allocates nothing; every field is
 * checked, as the line comes from another program.
 *
 * One event is one ASCII line, fields separated by one space, at most
 * PYEVENT_LINE_MAX bytes with its '\n'. Times t are CLOCK_MONOTONIC in ns
 * (the clock the engine reads); pid and tid are the kernel's.
 *
 *   H proto impl version gil ft method pid t   hello: protocol, "cpython", "3.13.0",
 *                                  GIL enabled 0|1, free-threaded build 0|1, start
 *                                  method (fork, spawn, forkserver, or "-": none),
 *                                  the interpreter's main process
 *   W pid tid t                    a worker (process or thread) is up
 *   P t0 t1 workers                the pool: t0 before its construction, t1 once every
 *                                  worker announced itself (startup = t1 - t0)
 *   B t items chunksize ordered    the map begins
 *   S index pid tid t              item index starts in that worker
 *   E index t result               it ends: a decimal int64, or "-" for None
 *   Q pid tid n hex                n (1..PYEVENT_BATCH_MAX) fast items that ran in that
 *                                  worker, in order, each as if its S then its E: hex is
 *                                  64*n lowercase hex digits, each item 4 int64 of 8
 *                                  little-endian bytes: index, start t, end t, result
 *                                  (an int; an item returning None is sent as S and E)
 *   G pid tid first n t0 t1 hex    n (1..PYEVENT_GROUP_MAX) fast items, indices first..
 *                                  first+n-1, that ran back to back in that worker from
 *                                  t0 to t1, timed as a group (their own times are not
 *                                  measured): hex is 16*n hex digits, each item's result
 *                                  as an int64 of 8 little-endian bytes
 *   O pid tid t more text          a line the task printed; more 1: it goes on in that
 *                                  thread's next O. text: printable ASCII, "\\" for a
 *                                  backslash, "\xHH" for any other byte
 *   U pid tid cpu                  a worker's own CPU time in ns since its W, read by
 *                                  itself as it ends (time.thread_time_ns)
 *   K pid signal status t          a worker died: by signal (> 0), or exited (signal 0)
 *   M t                            the map ended (its last result in the parent)
 *   Y sent recvd nsent nrecvd      bytes pickled to and from the workers in the map,
 *                                  and the message counts (0 for threads)
 *   C value                        the counter task's global as the parent reads it
 *   X t text                       an error on the Python side (text as in O)
 *   D t status                     the last line: the script's exit status
 *
 * The process subcommand's own lines (k: the Process's place, 0-based, below
 * PYEVENT_MAX_PROCS), besides its children's W, S, E, O and U:
 *   A k item t                     Process(target=task, args=(item,)) is made
 *   R k pid t0 t1                  its start(): called at t0, returned at t1
 *   Z k t                          the parent saw it exit: a zombie until its join
 *   J k exitcode t                 join() returned: Process.exitcode (-N: signal N)
 *
 * Order: H first; every first worker's W before P; an item's S before its E
 * (E of the last items may follow M: their t is earlier); D last, once every
 * worker has exited.
 */
#ifndef MPTUTOR_PYEVENT_H
#define MPTUTOR_PYEVENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define PYEVENT_PROTOCOL 1    /* the H line's proto this parser reads */
#define PYEVENT_LINE_MAX 4096 /* bytes of a line with its '\n' (PIPE_BUF) */
#define PYEVENT_MAX_ITEMS 1000000
#define PYEVENT_MAX_WORKERS 1024
#define PYEVENT_BATCH_MAX 63  /* items in one Q line (64 hex digits each, a line's room) */
#define PYEVENT_GROUP_MAX 240 /* results in one G line (16 hex digits each) */
#define PYEVENT_MAX_PROCS 64  /* Processes of the process subcommand */

/* One item of a Q line. */
struct pyevent_item {
	int64_t index;
	int64_t t0, t1; /* its start and end */
	int64_t result;
};

/* What a line says: its first letter. */
enum pyevent_kind {
	PYEVENT_HELLO = 'H',
	PYEVENT_WORKER = 'W',
	PYEVENT_POOL = 'P',
	PYEVENT_BEGIN = 'B',
	PYEVENT_START = 'S',
	PYEVENT_END = 'E',
	PYEVENT_ITEMS = 'Q',
	PYEVENT_GROUP = 'G',
	PYEVENT_CPU = 'U',
	PYEVENT_OUTPUT = 'O',
	PYEVENT_DEATH = 'K',
	PYEVENT_MAP_END = 'M',
	PYEVENT_BYTES = 'Y',
	PYEVENT_COUNTER = 'C',
	PYEVENT_ERROR = 'X',
	PYEVENT_DONE = 'D',
	PYEVENT_PROC_MADE = 'A',
	PYEVENT_PROC_START = 'R',
	PYEVENT_PROC_EXIT = 'Z',
	PYEVENT_PROC_JOIN = 'J',
};

/* One parsed line. Only the member of the union that kind names is set. */
struct pyevent {
	enum pyevent_kind kind;
	int64_t t; /* when it happened (P: t1; 0 for Y and C) */
	union {
		struct {
			int proto;             /* PYEVENT_PROTOCOL */
			char impl[32];         /* "cpython" */
			char version[32];      /* "3.13.0" */
			bool gil;              /* the GIL is enabled */
			bool free_threaded;    /* a Py_GIL_DISABLED build */
			char start_method[16]; /* "fork", "spawn", "forkserver"; "" for none */
			pid_t pid;             /* the interpreter's main process */
		} hello;
		struct {
			pid_t pid, tid;
		} worker; /* W */
		struct {
			int64_t t0, t1; /* before Pool(), once all workers announced */
			int workers;
		} pool; /* P */
		struct {
			int64_t items, chunksize;
			bool ordered; /* Pool.map; false: imap_unordered */
		} begin;              /* B */
		struct {
			int64_t index;
			pid_t pid, tid;
		} start; /* S */
		struct {
			int64_t index;
			bool has_result; /* false: the task returned None */
			int64_t result;
		} end; /* E */
		struct {
			pid_t pid, tid;
			int n; /* items[0..n) */
		} batch;       /* Q */
		struct {
			pid_t pid, tid;
			int64_t first; /* the first item's index */
			int n;         /* group_results[0..n) */
			int64_t t0;    /* the group's start; t is its end */
		} group;               /* G */
		struct {
			pid_t pid, tid;
			int64_t cpu_ns;
		} cpu; /* U */
		struct {
			pid_t pid, tid;
			bool more; /* the line goes on in this thread's next O */
		} output;          /* O: the text in text */
		struct {
			pid_t pid;
			int signal; /* > 0: killed by it */
			int status; /* signal 0: the exit status */
		} death;            /* K */
		struct {
			int64_t sent, recvd, nsent, nrecvd;
		} bytes; /* Y */
		struct {
			int64_t value;
		} counter; /* C */
		struct {
			int status;
		} done; /* D */
		struct {
			int k;         /* the Process's place */
			int64_t item;  /* A: its item */
			pid_t pid;     /* R: its pid */
			int64_t t0;    /* R: start() called; t is when it returned */
			int exit_code; /* J: Process.exitcode */
		} proc;                /* A, R, Z, J */
	};
	size_t text_len;             /* O and X: bytes of text */
	char text[PYEVENT_LINE_MAX]; /* O and X: the decoded text, NUL-terminated */
	struct pyevent_item items[PYEVENT_BATCH_MAX]; /* Q: batch.n of them */
	int64_t group_results[PYEVENT_GROUP_MAX];     /* G: group.n of them */
};

/* Parse one line of len bytes (a final '\n' is allowed, no NUL needed) into
 * *ev; -1 with a message in err naming the field and what is wrong. */
int pyevent_parse(const char *line, size_t len, struct pyevent *ev, char *err, size_t errlen);

/* A kind's name for messages ("item start"); "unknown" if it is none. */
const char *pyevent_kind_name(int kind);

#endif
