/*
 * signals.c — the self-pipe behind every front end's signals: the headless
 * command line, the plain REPL and the full-screen tutor. The handler only
 * does what is async-signal-safe: it notes the signal in sig_atomic_t
 * variables and writes its number into a non-blocking pipe; everything else
 * happens in the front end's loop, which reads the numbers back.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cmd/signals.h"

static int signals_pipe[2] = {-1, -1};     /* the handler writes [1], front ends read [0] */
static volatile sig_atomic_t signals_stop; /* the last SIGINT/SIGTERM/SIGHUP/SIGQUIT */
static volatile sig_atomic_t signals_quit; /* the last SIGTERM/SIGHUP/SIGQUIT */

/* The handler: remember a stopping signal, wake whoever polls the pipe. */
static void signals_on_signal(int sig)
{
	int saved = errno;
	unsigned char b = (unsigned char)sig;

	if (sig == SIGINT || sig == SIGTERM || sig == SIGHUP || sig == SIGQUIT)
		signals_stop = sig;
	if (sig == SIGTERM || sig == SIGHUP || sig == SIGQUIT)
		signals_quit = sig;
	if (signals_pipe[1] >= 0 && write(signals_pipe[1], &b, 1) < 0) {
		/* the pipe is full: a wake-up is already pending */
	}
	errno = saved;
}

/* Create the pipe the first time; -1 with a message. */
static int signals_open(char *err, size_t errlen)
{
	if (signals_pipe[0] >= 0)
		return 0;
	if (pipe2(signals_pipe, O_CLOEXEC | O_NONBLOCK) != 0) {
		snprintf(err, errlen, "cannot create the signal pipe: %s", strerror(errno));
		signals_pipe[0] = signals_pipe[1] = -1;
		return -1;
	}
	return 0;
}

int signals_catch(const int *sigs, size_t n, int flags, struct signals_saved *saved, char *err,
                  size_t errlen)
{
	struct sigaction sa, old[SIGNALS_MAX];

	if (n > SIGNALS_MAX) {
		snprintf(err, errlen, "cannot catch %zu signals at once (at most %d)", n,
		         SIGNALS_MAX);
		return -1;
	}
	if (signals_open(err, errlen) != 0)
		return -1;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = signals_on_signal;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = flags;
	for (size_t i = 0; i < n; i++) {
		if (sigaction(sigs[i], &sa, &old[i]) != 0) {
			snprintf(err, errlen, "cannot install a signal handler: %s",
			         strerror(errno));
			while (i-- > 0)
				sigaction(sigs[i], &old[i], NULL);
			return -1;
		}
	}
	if (saved) {
		saved->n = n;
		for (size_t i = 0; i < n; i++) {
			saved->sigs[i] = sigs[i];
			saved->old[i] = old[i];
		}
	}
	return 0;
}

void signals_restore(const struct signals_saved *saved)
{
	for (size_t i = 0; i < saved->n; i++)
		sigaction(saved->sigs[i], &saved->old[i], NULL);
}

int signals_fd(void)
{
	return signals_pipe[0];
}

int signals_next(void)
{
	unsigned char b;

	if (signals_pipe[0] < 0)
		return 0;
	for (;;) {
		ssize_t r = read(signals_pipe[0], &b, 1);
		if (r == 1)
			return b;
		if (r < 0 && errno == EINTR)
			continue;
		return 0; /* empty (EAGAIN) */
	}
}

void signals_drain(void)
{
	while (signals_next() != 0)
		;
}

int signals_stopped(void)
{
	return signals_stop;
}

int signals_quitting(void)
{
	return signals_quit;
}
