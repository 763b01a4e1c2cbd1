/*
 * orders.c — the tally of output orders over repeated runs (orders.h).
 */
#include "session/orders.h"

#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Are these lines all whole numbers (what the print task writes)? */
static bool orders_lines_numeric(const struct output_line *lines, size_t n)
{
	bool numeric = n > 0;
	for (size_t i = 0; i < n && numeric; i++) {
		char *end;
		const char *t = lines[i].text ? lines[i].text : "";
		strtoll(t, &end, 10);
		numeric = end != t && *end == '\0';
	}
	return numeric;
}

/* Count one order (v, n; taken over) among the orders seen; -1 when out of memory. */
static int orders_count(struct session_orders *o, int64_t *v, size_t n)
{
	o->runs++;
	for (size_t i = 0; i < o->n_orders; i++) {
		struct session_order *r = &o->orders[i];
		if (r->n == n && (n == 0 || memcmp(r->values, v, n * sizeof *v) == 0)) {
			r->count++;
			free(v);
			return 0;
		}
	}
	struct session_order *grown = realloc(o->orders, (o->n_orders + 1) * sizeof *grown);
	if (grown == NULL) {
		free(v);
		return -1;
	}
	o->orders = grown;
	o->orders[o->n_orders++] = (struct session_order){.values = v, .n = n, .count = 1};
	return 0;
}

/* Add one finished run's order: the numbers it printed, else its items in completion order. */
int session_orders_add_run(struct session_orders *o, const struct run_snapshot *s)
{
	bool numeric = orders_lines_numeric(s->output, s->n_output);
	size_t cnt = numeric ? s->n_output : s->n_order;
	int64_t *v = malloc((cnt ? cnt : 1) * sizeof *v);
	if (v == NULL)
		return -1;
	for (size_t i = 0; i < cnt; i++)
		v[i] = numeric ? strtoll(s->output[i].text, NULL, 10) : s->items[s->order[i]];
	return orders_count(o, v, cnt);
}

/* Add one finished process demo's order: the numbers its children printed, in
 * the order their writes reached the pipe; else the items in the order the
 * children exited. -1 when out of memory. */
int session_orders_add_process(struct session_orders *o, const struct proc_demo_snap *s)
{
	bool numeric = orders_lines_numeric(s->output, s->n_output);
	size_t cnt = numeric ? s->n_output : s->n_procs;
	int64_t *v = malloc((cnt ? cnt : 1) * sizeof *v);
	if (v == NULL)
		return -1;
	if (numeric) {
		for (size_t i = 0; i < cnt; i++)
			v[i] = strtoll(s->output[i].text, NULL, 10);
	} else {
		/* by exit time: a few children, an insertion sort */
		size_t *idx = malloc((cnt ? cnt : 1) * sizeof *idx);
		if (idx == NULL) {
			free(v);
			return -1;
		}
		for (size_t i = 0; i < cnt; i++) {
			size_t j = i;
			for (; j > 0 && s->procs[idx[j - 1]].exited_s > s->procs[i].exited_s; j--)
				idx[j] = idx[j - 1];
			idx[j] = i;
		}
		for (size_t i = 0; i < cnt; i++)
			v[i] = s->procs[idx[i]].item;
		free(idx);
	}
	return orders_count(o, v, cnt);
}

/* One order as "0 1 2 3", cut with "..." when it does not fit. */
void session_order_text(const struct session_order *ord, char *buf, size_t len)
{
	size_t used = 0;
	if (len == 0)
		return;
	buf[0] = '\0';
	for (size_t k = 0; k < ord->n; k++) {
		char v[32];
		int l = snprintf(v, sizeof v, "%s%" PRId64, k ? " " : "", ord->values[k]);
		if (l < 0 || used + (size_t)l + 4 >= len) {
			snprintf(buf + used, len - used, "%s", len - used > 4 ? " ..." : "");
			return;
		}
		memcpy(buf + used, v, (size_t)l + 1);
		used += (size_t)l;
	}
}

/* Free what the orders own; the struct may be reused after. */
void session_orders_free(struct session_orders *o)
{
	for (size_t i = 0; i < o->n_orders; i++)
		free(o->orders[i].values);
	free(o->orders);
	memset(o, 0, sizeof *o);
}
