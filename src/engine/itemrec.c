/*
 * itemrec.c — the table of who ran a map's items (itemrec.h): each worker
 * slot's incarnations (slot, pid, tid) once, found again through the
 * worker's latest entry and the chain of its earlier ones.
 */
#include "engine/itemrec.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Seconds to ns, to the nearest (a recording's times were made from ns). */
int64_t item_s_ns(double s)
{
	double ns = round(s * 1e9);
	if (!(ns < (double)ITEM_NS_MAX))
		return ns != ns ? 0 : ITEM_NS_MAX;
	return ns > -(double)ITEM_NS_MAX ? (int64_t)ns : -ITEM_NS_MAX;
}

/* An empty table: nobody only. */
int item_who_init(struct item_who_table *t, int workers)
{
	memset(t, 0, sizeof *t);
	t->workers = workers > 0 ? workers : 0;
	t->cap = (size_t)t->workers + 8;
	t->who = malloc(t->cap * sizeof *t->who);
	t->prev = malloc(t->cap * sizeof *t->prev);
	t->last = calloc((size_t)t->workers + 1, sizeof *t->last);
	if (!t->who || !t->prev || !t->last) {
		item_who_free(t);
		return -1;
	}
	t->who[0] = (struct item_who){.worker = -1};
	t->prev[0] = 0;
	t->n = 1;
	return 0;
}

/* Room for one more entry; -1 when out of memory or full. */
static int item_who_grow(struct item_who_table *t)
{
	if (t->n < t->cap)
		return 0;
	if (t->n > ITEM_WHO_MAX)
		return -1;
	size_t cap = t->cap * 2;
	struct item_who *w = realloc(t->who, cap * sizeof *w);
	if (w)
		t->who = w;
	uint32_t *p = realloc(t->prev, cap * sizeof *p);
	if (p)
		t->prev = p;
	if (!w || !p)
		return -1;
	t->cap = cap;
	return 0;
}

/* The index of (worker, pid, tid), added if new. */
uint32_t item_who_index(struct item_who_table *t, int worker, pid_t pid, pid_t tid)
{
	if (worker < -1 || worker >= t->workers || t->n == 0)
		return 0;
	uint32_t *last = &t->last[worker + 1];
	for (uint32_t k = *last; k != 0 || worker < 0; k = t->prev[k]) {
		const struct item_who *e = &t->who[k];
		if (e->worker == worker && e->pid == pid && e->tid == tid)
			return k;
		if (k == 0)
			break;
	}
	if (item_who_grow(t) != 0)
		return *last;
	uint32_t k = (uint32_t)t->n++;
	t->who[k] = (struct item_who){.worker = worker, .pid = pid, .tid = tid};
	t->prev[k] = *last;
	*last = k;
	return k;
}

/* Hand the entries over; the table is emptied. */
struct item_who *item_who_take(struct item_who_table *t, size_t *n)
{
	struct item_who *w = t->who;
	*n = t->n;
	t->who = NULL;
	item_who_free(t);
	return w;
}

void item_who_free(struct item_who_table *t)
{
	free(t->who);
	free(t->prev);
	free(t->last);
	memset(t, 0, sizeof *t);
}
