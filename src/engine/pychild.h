/*
 * pychild.h — the interpreter as our child (engine-internal), shared by the
 * py-* backends (backend_python.c) and the Python Process demo (pydemo.c):
 * spawned in a process group of its own with PR_SET_PDEATHSIG, stdin
 * /dev/null, stdout/stderr captured; its private temp dir with the event
 * FIFO and the items file; the wait for its hello; the tail of its own
 * output; stopped and reaped with its whole group.
 *
 * Call order: pychild_init; pychild_make_files; pychild_spawn (argv names
 * c->fifo and c->items); pychild_wait_hello; then pychild_drain_own and
 * pychild_reap at each poll; pychild_end (kill, reap, wait for the group);
 * pychild_close (fds closed, files removed). pychild_end and pychild_close
 * are safe at any point after pychild_init, so a failed start leaves nothing.
 *
 * Ownership: the caller owns the struct (embedded in its own) and reads its
 * fields; this module owns the fds and the files in it, and closes and
 * removes them. Reading the FIFO's lines is the caller's (its callback).
 */
#ifndef MPTUTOR_PYCHILD_H
#define MPTUTOR_PYCHILD_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define PYCHILD_OWN_MAX 1024 /* the tail of the interpreter's own output kept */

struct pychild {
	char tmp[PATH_MAX];        /* the private temp dir, "" none or removed */
	char fifo[PATH_MAX + 16];  /* tmp/events */
	char items[PATH_MAX + 16]; /* tmp/items */
	char own[PYCHILD_OWN_MAX + 1];
	size_t own_len;   /* own: the tail of its stdout/stderr, NUL-ended */
	pid_t pid;        /* the interpreter (and its process group), 0 none */
	int pidfd;        /* its pidfd, -1 none */
	int ev_rd, ev_wr; /* the FIFO: read end, and a write end that keeps it open */
	int out_rd;       /* its stdout/stderr, -1 closed */
	bool reaped;      /* waited for */
	int status;       /* its wait status once reaped */
	int64_t spawn_ns, reaped_ns;
	int nice; /* the interpreter's nice, set as it starts (0: none); its workers inherit it */
};

/* What pychild_wait_hello saw. */
enum pychild_wait {
	PYCHILD_READY,   /* the callback said its hello came */
	PYCHILD_FAULT,   /* the callback said a line was bad */
	PYCHILD_EXITED,  /* the interpreter ended first (reaped; its output drained) */
	PYCHILD_TIMEOUT, /* err says so */
};

/* Nothing open, nothing made. */
void pychild_init(struct pychild *c);
/* The temp dir TMPDIR/<prefix>XXXXXX, its FIFO (both ends open, the read
 * end pipe_size bytes if not 0) and the items file; -1 with a message. */
int pychild_make_files(struct pychild *c, const char *prefix, int pipe_size, const int64_t *items,
                       size_t n, char *err, size_t errlen);
/* Fork argv[0] (parent: our pid, for the child's check); -1 with a message. */
int pychild_spawn(struct pychild *c, pid_t parent, char *const argv[], char *err, size_t errlen);
/* Wait for the hello: take(ctx) reads the FIFO and says 1 hello came, -1 a
 * bad line, 0 not yet; the interpreter's end or timeout_ns stop it too. */
enum pychild_wait pychild_wait_hello(struct pychild *c, int64_t timeout_ns, const char *path,
                                     int (*take)(void *ctx), void *ctx, char *err, size_t errlen);
/* Keep n bytes more of the interpreter's own output (the tail). */
void pychild_own_add(struct pychild *c, const char *b, size_t n);
/* Read its own output now; closes it on EOF. */
void pychild_drain_own(struct pychild *c);
/* The last non-empty line of its own output into buf ("" none). */
const char *pychild_own_last(const struct pychild *c, char *buf, size_t len);
/* Reap it if it has ended (block: wait for it); true once reaped. */
bool pychild_reap(struct pychild *c, bool block);
/* Its exit as the snapshot has it: the status, or -N for signal N. */
int pychild_exit_status(const struct pychild *c);
/* SIGKILL the whole group (nothing if never spawned or reaped). */
void pychild_kill(struct pychild *c);
/* Is a process of the group (not a zombie) still there? */
bool pychild_group_alive(pid_t pgid);
/* Kill the group if it is not reaped, reap, wait up to grace_ns for the
 * group to be gone (killing it meanwhile unless patient), SIGKILL what is left. */
void pychild_end(struct pychild *c, int64_t grace_ns, bool patient);
/* Remove the temp dir and what is in it (the fds stay open). */
void pychild_remove_files(struct pychild *c);
/* Close every fd and remove the files. */
void pychild_close(struct pychild *c);

#endif
