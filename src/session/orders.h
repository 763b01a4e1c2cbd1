/*
 * orders.h — the output orders seen over repeated runs (run/process
 * --repeat N): one tally for every front end. A run's order is the numbers
 * it printed, if every output line is one (the print task), else its items
 * in completion order; a process demo's is the numbers its children printed
 * in the order their writes reached the shared pipe, else the items in the
 * order the children exited.
 *
 * Contract: zero a session_orders before the first add; it owns its values
 * until session_orders_free (after which it may be reused).
 */
#ifndef MPTUTOR_SESSION_ORDERS_H
#define MPTUTOR_SESSION_ORDERS_H

#include <stddef.h>
#include <stdint.h>

#include "engine/engine.h"

/* One distinct order and how often it was seen. */
struct session_order {
	int64_t *values; /* the order: printed numbers, or items in completion order */
	size_t n;        /* length of values */
	int count;       /* runs that gave this order */
};

/* The distinct orders of the runs added so far. */
struct session_orders {
	struct session_order *orders; /* distinct orders, in first-seen order */
	size_t n_orders;
	int runs; /* runs added */
};

/* Add one finished run's order; -1 when out of memory. */
int session_orders_add_run(struct session_orders *o, const struct run_snapshot *s);
/* Add one finished process demo's order; -1 when out of memory. */
int session_orders_add_process(struct session_orders *o, const struct proc_demo_snap *s);
/* One order as text, "0 1 2 3" (cut with "..." when it does not fit). */
void session_order_text(const struct session_order *ord, char *buf, size_t len);
/* Free what the orders own; the struct is zeroed and may be reused. */
void session_orders_free(struct session_orders *o);

#endif
