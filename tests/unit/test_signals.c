/*
 * test_signals.c — the shared signal self-pipe: nothing pending before a
 * signal is caught; each caught signal read back once, in order; which
 * signals count as stopping and as quitting (a later Ctrl-C does not hide a
 * SIGTERM); draining; a flood that fills the pipe without blocking; the old
 * actions put back; and refusals that leave every action as it was.
 * The tests share one process and run in order.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h> /* after what it needs: a block of its own, so sorting keeps it last */

#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <string.h>

#include "cmd/signals.h"

/* Whether the pipe's read end is readable right now. */
static bool readable(void)
{
	struct pollfd p = {.fd = signals_fd(), .events = POLLIN};
	return poll(&p, 1, 0) == 1 && (p.revents & POLLIN);
}

/* The handler sig has now. */
static void (*handler_of(int sig))(int)
{
	struct sigaction sa;
	assert_int_equal(sigaction(sig, NULL, &sa), 0);
	return sa.sa_handler;
}

static void test_nothing_before_catch(void **state)
{
	(void)state;
	assert_int_equal(signals_fd(), -1);
	assert_int_equal(signals_next(), 0);
	signals_drain();
	assert_int_equal(signals_stopped(), 0);
	assert_int_equal(signals_quitting(), 0);
}

static void test_catch_read_restore(void **state)
{
	static const int sigs[] = {SIGUSR1, SIGINT, SIGTERM};
	struct signals_saved saved;
	char err[256] = "";
	(void)state;

	/* known old actions to be put back (a background job starts with SIGINT ignored) */
	for (size_t i = 0; i < 3; i++)
		signal(sigs[i], SIG_DFL);
	assert_int_equal(signals_catch(sigs, 3, 0, &saved, err, sizeof err), 0);
	assert_true(signals_fd() >= 0);
	assert_false(readable());

	/* not a stopping signal: read back, not remembered */
	raise(SIGUSR1);
	assert_true(readable());
	assert_int_equal(signals_next(), SIGUSR1);
	assert_int_equal(signals_next(), 0);
	assert_int_equal(signals_stopped(), 0);

	/* Ctrl-C stops but does not quit */
	raise(SIGINT);
	assert_int_equal(signals_stopped(), SIGINT);
	assert_int_equal(signals_quitting(), 0);

	/* SIGTERM quits; a later Ctrl-C is the last stop, the quit stays */
	raise(SIGTERM);
	raise(SIGINT);
	assert_int_equal(signals_stopped(), SIGINT);
	assert_int_equal(signals_quitting(), SIGTERM);
	assert_int_equal(signals_next(), SIGINT);
	assert_int_equal(signals_next(), SIGTERM);
	assert_int_equal(signals_next(), SIGINT);
	assert_int_equal(signals_next(), 0);

	/* drain forgets what is pending, not what was received */
	raise(SIGUSR1);
	raise(SIGUSR1);
	signals_drain();
	assert_false(readable());
	assert_int_equal(signals_next(), 0);
	assert_int_equal(signals_quitting(), SIGTERM);

	signals_restore(&saved);
	assert_true(handler_of(SIGUSR1) == SIG_DFL);
	assert_true(handler_of(SIGINT) == SIG_DFL);
	assert_true(handler_of(SIGTERM) == SIG_DFL);
}

/* More signals than the pipe holds: the handler never blocks, the pipe
 * stays readable, and a drain empties it. */
static void test_flood(void **state)
{
	static const int sigs[] = {SIGUSR2};
	struct signals_saved saved;
	char err[256] = "";
	(void)state;

	signal(SIGUSR2, SIG_DFL);
	assert_int_equal(signals_catch(sigs, 1, SA_RESTART, &saved, err, sizeof err), 0);
	for (int i = 0; i < 70000; i++)
		raise(SIGUSR2);
	assert_true(readable());
	assert_int_equal(signals_next(), SIGUSR2);
	signals_drain();
	assert_false(readable());
	signals_restore(&saved);
	assert_true(handler_of(SIGUSR2) == SIG_DFL);
}

/* A signal that cannot be caught: -1 with a message, nothing left changed. */
static void test_refusals(void **state)
{
	static const int bad[] = {SIGUSR1, SIGKILL};
	int many[SIGNALS_MAX + 1];
	struct signals_saved saved;
	char err[256] = "";
	(void)state;

	signal(SIGUSR1, SIG_DFL);
	assert_int_equal(signals_catch(bad, 2, 0, &saved, err, sizeof err), -1);
	assert_non_null(strstr(err, "cannot install a signal handler"));
	assert_true(handler_of(SIGUSR1) == SIG_DFL);

	for (size_t i = 0; i < SIGNALS_MAX + 1; i++)
		many[i] = SIGUSR1;
	err[0] = '\0';
	assert_int_equal(signals_catch(many, SIGNALS_MAX + 1, 0, &saved, err, sizeof err), -1);
	assert_non_null(strstr(err, "at most"));
	assert_true(handler_of(SIGUSR1) == SIG_DFL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_nothing_before_catch),
	    cmocka_unit_test(test_catch_read_restore),
	    cmocka_unit_test(test_flood),
	    cmocka_unit_test(test_refusals),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
