/*
 * panel.c — the run panels (meters, timeline, timing, results, output,
 * legend) and the column that stacks them for one backend. Pure drawing:
 * a snapshot in, cells of a surface out.
 */
#include "ui/panel.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/task.h"

#define PANEL_CPU_MIN_S 0.020 /* maps shorter than this: time in items, not CPU */
#define PANEL_FRAME_S 0.055   /* a figure read this often is as fresh as a frame (20 Hz) */
/* Worker label prefix, from the backend table: processes are "w", threads "t". */
static char panel_wprefix(enum backend_kind k)
{
	const struct backend_info *b = backend_get(k);
	return b ? b->prefix : 'w';
}

/* Whether a GIL serialises the run's threads (its held/wait figures mean something). */
static bool panel_gil(const struct run_snapshot *snap)
{
	const struct backend_info *b = backend_get(snap->backend);
	return b && b->gil;
}

/* Whether the run says who held the GIL when (the model's hand-offs, or per-thread
 * timelines): only then can the timeline draw it; a sampled total is a meter's. */
static bool panel_gil_timeline(const struct run_snapshot *snap)
{
	if (!panel_gil(snap))
		return false;
	if (snap->switches)
		return true;
	for (int w = 0; w < snap->workers; w++)
		if (snap->per_worker[w].n_gil_marks > 0)
			return true;
	return false;
}

const char *ui_backend_label(enum backend_kind kind)
{
	return backend_name(kind);
}

unsigned ui_worker_attr(const struct ui_surface *s, int w)
{
	if (w < 0)
		return UI_DIM;
	if (!s->color)
		return (w % 2) ? UI_BOLD : 0;
	return UI_COLOR(UI_C_W0 + w % UI_WORKER_COLORS);
}

void ui_fmt_secs(char *buf, size_t size, double s, bool ascii)
{
	if (s < 0)
		s = 0;
	if (s < 1e-3)
		snprintf(buf, size, "%.0f %s", s * 1e6, ascii ? "us" : "µs");
	else if (s < 0.1)
		snprintf(buf, size, "%.1f ms", s * 1e3);
	else if (s < 100)
		snprintf(buf, size, "%.2f s", s);
	else
		snprintf(buf, size, "%.0f s", s);
}

/* Short name of a worker state, 4 columns. */
static const char *panel_state_name(enum worker_state st)
{
	switch (st) {
	case WORKER_STARTING:
		return "strt";
	case WORKER_IDLE:
		return "idle";
	case WORKER_RUNNING:
		return "run ";
	case WORKER_GIL_WAIT:
		return "wait";
	case WORKER_BLOCKED:
		return "blk ";
	case WORKER_EXITED:
		return "done";
	case WORKER_DEAD:
		return "dead";
	}
	return "?   ";
}

/* --- meters --------------------------------------------------------------- */

/* Rows x columns the meters take for n workers in h rows of width w. */
static void meters_grid(int n, int h, int w, int *rows, int *cols)
{
	int c = 1;
	if (h < 1)
		h = 1;
	while (c < 8 && (n + c - 1) / c > h && w / (c + 1) >= 22)
		c++;
	*cols = c;
	*rows = (n + c - 1) / c;
}

/* A live run whose workers' CPU and core are read less often than the
 * screen is drawn (a big pool is read a share of it a poll): the words that
 * say so into buf; false if what the meters show is as fresh as the frame. */
static bool meters_core_note(const struct run_snapshot *snap, char *buf, size_t len)
{
	bool live = snap->state == RUN_RUNNING || snap->state == RUN_STARTING;
	if (!live || (snap->cpu_every_s <= PANEL_FRAME_S && snap->proc_every_s <= PANEL_FRAME_S))
		return false;
	snprintf(buf, len, "sampled: each worker's CPU%% every %.2f s, its cpuN every %.2f s",
	         snap->cpu_every_s, snap->proc_every_s);
	return true;
}

/* Rows wanted: one per worker, several columns when wide enough (and the
 * note on how fresh the cores are, if any). */
static int meters_want(const struct ui_panel *p, const struct run_snapshot *snap, int w)
{
	(void)p;
	if (!snap || snap->workers <= 0)
		return 0;
	int rows, cols;
	char note[96];
	meters_grid(snap->workers, 8, w, &rows, &cols);
	return rows + meters_core_note(snap, note, sizeof note);
}

/* A horizontal bar of `width` cells for pct (0..100), in eighths. */
static void meters_bar(struct ui_surface *s, const struct ui_rect *clip, int y, int x, int width,
                       double pct, unsigned attr)
{
	if (width <= 0)
		return;
	if (pct < 0)
		pct = 0;
	if (pct > 100)
		pct = 100;
	long eighths = lround(pct / 100.0 * width * 8);
	for (int i = 0; i < width; i++) {
		long e = eighths - (long)i * 8;
		if (e > 8)
			e = 8;
		if (e < 0)
			e = 0;
		ui_put(s, clip, y, x + i, e ? attr : UI_DIM, e ? s->g->bar[e] : " ");
	}
}

/* One worker's meter line in a cell of width w. */
static void meters_line(struct ui_surface *s, const struct run_snapshot *snap,
                        const struct worker_snap *ws, struct ui_rect cell)
{
	char head[64], tail[64];
	int w = cell.w;
	bool gil = panel_gil(snap);
	char pre = panel_wprefix(snap->backend);
	unsigned wa = ui_worker_attr(s, ws->id);
	/* a finished run shows each worker's share of the map, not its last instant:
	 * its CPU time from the kernel over the wall time, so 8 workers on 2 cores
	 * read ~25% each. A map under PANEL_CPU_MIN_S is shorter than a worker's own
	 * start and exit, whose CPU would swamp it: there, the time inside items. */
	double pct = ws->cpu_pct;
	bool over = snap->state == RUN_DONE || snap->state == RUN_CANCELLED;
	if (over && snap->wall_s > 0) {
		double used = gil                               ? ws->gil_held_s
		              : snap->wall_s >= PANEL_CPU_MIN_S ? ws->cpu_s
		                                                : ws->busy_s;
		pct = 100 * used / snap->wall_s;
		if (pct > 100)
			pct = 100;
	}
	/* label, then what fits of pid / core / state */
	int x = cell.x;
	/* labels padded to the widest, so w9 and w10 line up */
	int lw =
	    snprintf(head, sizeof head, "%c%d", pre, snap->workers > 0 ? snap->workers - 1 : 0);
	snprintf(head, sizeof head, "%c%d", pre, ws->id);
	x += ui_put(s, &cell, cell.y, x, wa | UI_BOLD, head);
	x += ui_putf(s, &cell, cell.y, x, 0, "%*s", lw - ui_text_width(head) + 1, "");
	char core[16];
	if (ws->core >= 0)
		snprintf(core, sizeof core, "cpu%d", ws->core);
	else
		snprintf(core, sizeof core, "cpu?");
	if (gil) {
		/* shares of its time: holding the GIL, waiting for it, blocked in I/O */
		double tot = ws->gil_held_s + ws->gil_wait_s + ws->blocked_s;
		int held = tot > 0 ? (int)lround(100 * ws->gil_held_s / tot) : 0;
		int io = tot > 0 ? (int)lround(100 * ws->blocked_s / tot) : 0;
		int wait = tot > 0 ? 100 - held - io : 0;
		if (wait < 0)
			wait = 0;
		if (w >= 54)
			snprintf(tail, sizeof tail, " %3.0f%% gil %3d%% wait %3d%% io %3d%%", pct,
			         held, wait, io);
		else if (w >= 44)
			snprintf(tail, sizeof tail, " %3.0f%% gil%3d%% wt%3d%% io%3d%%", pct, held,
			         wait, io);
		else
			snprintf(tail, sizeof tail, " %3.0f%% gil%3d%%", pct, held);
	} else {
		if (w >= 40)
			snprintf(tail, sizeof tail, " %3.0f%% %4ld done", pct, ws->tasks);
		else
			snprintf(tail, sizeof tail, " %3.0f%% %3ld", pct, ws->tasks);
	}
	int room = cell.x + w - x - ui_text_width(tail);
	if (room >= 22 + 10 && ws->pid > 0 && backend_get(snap->backend)->forks) {
		x += ui_putf(s, &cell, cell.y, x, UI_DIM, "pid %-6d ", (int)ws->pid);
		room = cell.x + w - x - ui_text_width(tail);
	}
	if (room >= 15) {
		x += ui_putf(s, &cell, cell.y, x, UI_DIM, "%-5s ", core);
		room -= 6;
	}
	if (room >= 10) {
		unsigned sa = ws->state == WORKER_DEAD       ? UI_COLOR(UI_C_ERR) | UI_BOLD
		              : ws->state == WORKER_GIL_WAIT ? UI_COLOR(UI_C_WARN)
		                                             : UI_DIM;
		x += ui_put(s, &cell, cell.y, x, sa, panel_state_name(ws->state));
		x += ui_put(s, &cell, cell.y, x, 0, " ");
		room -= 5;
	}
	meters_bar(s, &cell, cell.y, x, room, pct, wa);
	x += room > 0 ? room : 0;
	ui_put(s, &cell, cell.y, x, 0, tail);
}

/* Per worker: CPU bar and figures; several columns when there are many. */
static void meters_draw(const struct ui_panel *p, const struct run_snapshot *snap,
                        struct ui_rect box)
{
	struct ui_surface *s = p->s;
	if (!snap || box.h <= 0 || box.w <= 0)
		return;
	int rows, cols;
	char note[96];
	int h = box.h;
	if (h >= 2 && meters_core_note(snap, note, sizeof note)) /* the last row: how fresh */
		ui_put(s, &box, box.y + --h, box.x, UI_DIM, note);
	meters_grid(snap->workers, h, box.w, &rows, &cols);
	if (rows > h) /* more than fit: the first ones in order, then "+N more" */
		rows = h;
	int cw = box.w / cols;
	int shown = 0;
	for (int i = 0; i < snap->workers; i++) {
		int c = i / rows, r = i % rows;
		if (c >= cols)
			break;
		struct ui_rect cell = {box.y + r, box.x + c * cw, 1,
		                       c == cols - 1 ? box.w - c * cw : cw - 1};
		if (r == h - 1 && c == cols - 1 && i < snap->workers - 1) {
			ui_putf(s, &cell, cell.y, cell.x, UI_DIM, "+%d more workers",
			        snap->workers - shown);
			break;
		}
		meters_line(s, snap, &snap->per_worker[i], cell);
		shown++;
	}
}

const struct ui_panel_ops ui_panel_meters = {
    .name = "meters",
    .want = meters_want,
    .draw = meters_draw,
};

/* --- timeline ------------------------------------------------------------- */

/* The time span a timeline covers: the map's wall time so far. */
static double timeline_span(const struct run_snapshot *snap)
{
	bool over = snap->state == RUN_DONE || snap->state == RUN_CANCELLED;
	double t = over ? snap->wall_s : snap->now_s;
	if (t < snap->now_s)
		t = snap->now_s;
	if (over || t <= 0)
		return t;
	/* While the map goes the axis grows in steps (1, 2, 5 × 10^k s), so what
	 * is drawn stays put between steps: a class can follow it, and a frame
	 * sends only the cells that changed rather than the whole rescaled row. */
	static const double steps[] = {1, 2, 5};
	for (double decade = 1e-3; decade < 1e6; decade *= 10)
		for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++)
			if (steps[i] * decade >= t)
				return steps[i] * decade;
	return t;
}

/* Rows wanted: a row per worker, the GIL's row, the time axis. */
static int timeline_want(const struct ui_panel *p, const struct run_snapshot *snap, int w)
{
	(void)p;
	(void)w;
	if (!snap || snap->workers <= 0)
		return 0;
	return snap->workers + (panel_gil_timeline(snap)) + 1;
}

/* Cell states of one timeline row. */
enum { TL_IDLE, TL_BUSY_A, TL_BUSY_B, TL_FAIL };

/* A finished item's cells are where they were the frame before, as long as
 * the axis stays (it grows in steps): a live map of 1,000,000 items would
 * otherwise place every item again 20 times a second. The cache keeps, per
 * map drawn (a compare draws several), the cells of the items finished so
 * far (snap->order up to n_order) and each worker's count of them (for its
 * alternating colours). When the axis steps (or the map ends and the axis
 * becomes its wall time) the cells are found again without placing every
 * item again: each worker's items, in the order they finished, are also in
 * time order, so a cell's item is found by bisection (timeline_rebuild). */
#define TL_CACHE_N 8
struct tl_worker {
	uint32_t *pos;  /* [n] its finished items' places in snap->order, in that order */
	uint32_t *fail; /* [n_fail] which of them (indices into pos) failed */
	size_t n, cap;  /* entries of pos, room */
	size_t n_fail, cap_fail;
	double last_start, last_end; /* its last item's (kept: not read back an item) */
};
struct tl_cache {
	bool used;
	unsigned long last_use;
	const struct item_rec *recs; /* which map: its arrays, start, size */
	double t0_unix_s;
	size_t n_items;
	int workers, cw, wrows, group;
	double span;
	size_t n_order; /* finished items placed */
	unsigned char *cells;
	long *nth;
	struct tl_worker *by_worker; /* [workers]: the items in order of each, for rebuilds */
	size_t n_indexed;            /* snap->order entries put in by_worker */
	bool in_time_order;          /* each worker's items kept in time order (else no rebuild) */
};
static struct tl_cache tl_cache[TL_CACHE_N];
static unsigned long tl_cache_clock;

/* x cells into a row of cw, held to [-1, cw] (so it converts to int safely). */
static inline double timeline_clamp(double x, int cw)
{
	return x < -1 ? -1 : x > cw ? cw : x;
}

/* The cells [*c0, *c1] an item from start to end takes in a row of cw
 * (empty if *c1 < *c0). No call to ceil(): it is done for every item of a map. */
static inline void timeline_range(double start, double end, double span, int cw, int *c0, int *c1)
{
	double a = timeline_clamp(start / span * cw, cw), b = timeline_clamp(end / span * cw, cw);
	int lo = (int)a, hi = (int)b;
	if ((double)hi < b)
		hi++; /* ceil(b) */
	hi--;
	if (hi < lo)
		hi = lo;
	if (lo >= cw)
		lo = cw - 1;
	if (hi >= cw)
		hi = cw - 1;
	if (lo < 0)
		lo = 0;
	*c0 = lo;
	*c1 = hi;
}

/* Mark an item's cells [start, end] on its worker's row with state st (a
 * failed cell stays failed); one store for an item within a cell (most). */
static inline void timeline_mark(unsigned char *cells, int cw, int w, double start, double end,
                                 double span, unsigned char st)
{
	int c0, c1;
	timeline_range(start, end, span, cw, &c0, &c1);
	unsigned char *row = cells + (size_t)w * (size_t)cw;
	if (c0 == c1) {
		if (row[c0] != TL_FAIL)
			row[c0] = st;
		return;
	}
	for (int c = c0; c <= c1; c++)
		if (row[c] != TL_FAIL)
			row[c] = st;
}

/* The state of the k-th item a worker ran: failed, else its colour of two,
 * alternating along its row (neighbours in a group start apart). */
static unsigned char timeline_state(const struct run_snapshot *snap, size_t i, int w, long k)
{
	return run_item_status(snap, i) == ITEM_FAILED ? TL_FAIL
	                                               : ((k + w) % 2 ? TL_BUSY_B : TL_BUSY_A);
}

/* Forget a cache entry's per-worker lists. */
static void timeline_index_free(struct tl_cache *e)
{
	for (int w = 0; e->by_worker && w < e->workers; w++) {
		free(e->by_worker[w].pos);
		free(e->by_worker[w].fail);
	}
	free(e->by_worker);
	e->by_worker = NULL;
	e->n_indexed = 0;
	e->in_time_order = false;
}

/* The cache entry for snap's map at this scale (reset if it no longer fits:
 * another map, scale, size, or a replay gone back); NULL when out of memory. */
static struct tl_cache *timeline_cache(const struct run_snapshot *snap, double span, int cw,
                                       int wrows, int group)
{
	struct tl_cache *e = NULL, *lru = &tl_cache[0];
	for (int i = 0; i < TL_CACHE_N; i++) {
		struct tl_cache *c = &tl_cache[i];
		if (c->used && c->recs == snap->recs && c->t0_unix_s == snap->t0_unix_s &&
		    c->n_items == snap->n_items && c->workers == snap->workers) {
			e = c;
			break;
		}
		if (!c->used || (lru->used && c->last_use < lru->last_use))
			lru = c;
	}
	if (e && snap->n_order < e->n_indexed) /* a replay gone back: start again */
		timeline_index_free(e);
	if (!e) { /* another map: the least recently drawn one makes way */
		e = lru;
		timeline_index_free(e);
		free(e->cells);
		free(e->nth);
		memset(e, 0, sizeof *e);
	}
	if (!e->used || e->cw != cw || e->wrows != wrows || e->group != group || e->span != span ||
	    snap->n_order < e->n_order) {
		size_t nc = (size_t)(wrows > 0 ? wrows : 1) * (size_t)cw;
		size_t nw = (size_t)(snap->workers > 0 ? snap->workers : 1);
		unsigned char *cells = realloc(e->used ? e->cells : NULL, nc);
		long *nth = cells ? realloc(e->used ? e->nth : NULL, nw * sizeof *nth) : NULL;
		if (!cells || !nth) {
			free(cells ? cells : (e->used ? e->cells : NULL));
			free(e->used ? e->nth : NULL);
			timeline_index_free(e);
			memset(e, 0, sizeof *e);
			return NULL;
		}
		memset(cells, TL_IDLE, nc);
		memset(nth, 0, nw * sizeof *nth);
		struct tl_worker *bw = e->used ? e->by_worker : NULL;
		size_t n_indexed = e->used ? e->n_indexed : 0;
		bool in_order = e->used ? e->in_time_order : false;
		*e = (struct tl_cache){.used = true,
		                       .recs = snap->recs,
		                       .t0_unix_s = snap->t0_unix_s,
		                       .n_items = snap->n_items,
		                       .workers = snap->workers,
		                       .cw = cw,
		                       .wrows = wrows,
		                       .group = group,
		                       .span = span,
		                       .cells = cells,
		                       .nth = nth,
		                       .by_worker = bw,
		                       .n_indexed = n_indexed,
		                       .in_time_order = in_order};
	}
	e->last_use = ++tl_cache_clock;
	return e;
}

/* Append to a list of uint32_t, growing it; false when out of memory. */
static bool timeline_push(uint32_t **v, size_t *n, size_t *cap, uint32_t x)
{
	if (*n == *cap) {
		size_t nc = *cap ? *cap * 2 : 64;
		uint32_t *nv = realloc(*v, nc * sizeof *nv);
		if (!nv)
			return false;
		*v = nv;
		*cap = nc;
	}
	(*v)[(*n)++] = x;
	return true;
}

/* Make e's per-worker lists; false when out of memory. */
static bool timeline_index_ready(struct tl_cache *e, const struct run_snapshot *snap)
{
	if (!e->by_worker) {
		e->by_worker =
		    calloc((size_t)(snap->workers > 0 ? snap->workers : 1), sizeof *e->by_worker);
		e->n_indexed = 0;
		e->in_time_order = e->by_worker != NULL;
	}
	return e->by_worker != NULL;
}

/* Put the next entry of snap->order (item i, its event ev) in its worker's
 * list, noting whether the list is still in time order. */
static void timeline_index_one(struct tl_cache *e, const struct run_snapshot *snap, size_t i,
                               const struct item_event *ev)
{
	size_t pos = e->n_indexed++;
	if (!ev || ev->worker < 0 || ev->worker >= snap->workers)
		return;
	struct tl_worker *tw = &e->by_worker[ev->worker];
	/* after its last one, or no bisection can find its cells */
	if (tw->n > 0 && (ev->start_s < tw->last_start || ev->end_s < tw->last_end))
		e->in_time_order = false;
	if (!(ev->end_s > 0))
		e->in_time_order = false; /* its end would be the moment drawn */
	tw->last_start = ev->start_s;
	tw->last_end = ev->end_s;
	if ((run_item_status(snap, i) == ITEM_FAILED &&
	     !timeline_push(&tw->fail, &tw->n_fail, &tw->cap_fail, (uint32_t)tw->n)) ||
	    !timeline_push(&tw->pos, &tw->n, &tw->cap, (uint32_t)pos))
		e->in_time_order = false;
}

/* Bring each worker's list up to snap->n_order, noting whether each is still
 * in time order; false when out of memory (then no rebuild is tried). */
static bool timeline_index(struct tl_cache *e, const struct run_snapshot *snap)
{
	if (!timeline_index_ready(e, snap))
		return false;
	while (e->n_indexed < snap->n_order && e->in_time_order) {
		size_t i = snap->order[e->n_indexed];
		struct item_event ev;
		if (i < snap->n_items)
			ev = run_item_event(snap, i);
		timeline_index_one(e, snap, i, i < snap->n_items ? &ev : NULL);
	}
	return e->in_time_order;
}

/* The cell range of worker tw's k-th item. */
static void timeline_item_range(const struct run_snapshot *snap, const struct tl_worker *tw,
                                size_t k, double span, int cw, int *c0, int *c1)
{
	struct item_event ev = run_item_event(snap, snap->order[tw->pos[k]]);
	timeline_range(ev.start_s, ev.end_s, span, cw, c0, c1);
}

/* The cells of e's layout from its per-worker lists, as placing every item
 * listed in order would leave them: a cell shows the last item placed on it
 * (of the workers of its row, the one latest in snap->order), failed if any
 * of them failed. Each worker's items being in time order, their first and
 * last cells only grow, so each cell's items are found by bisection. */
static void timeline_rebuild(struct tl_cache *e, const struct run_snapshot *snap)
{
	int cw = e->cw;
	for (int r = 0; r < e->wrows; r++)
		for (int c = 0; c < cw; c++) {
			bool fail = false;
			long best = -1;
			unsigned char st = TL_IDLE;
			for (int w = r * e->group; w < (r + 1) * e->group && w < snap->workers;
			     w++) {
				const struct tl_worker *tw = &e->by_worker[w];
				int c0, c1;
				size_t lo = 0,
				       hi = tw->n; /* the first item starting after cell c */
				while (lo < hi) {
					size_t mid = lo + (hi - lo) / 2;
					timeline_item_range(snap, tw, mid, e->span, cw, &c0, &c1);
					if (c0 <= c)
						lo = mid + 1;
					else
						hi = mid;
				}
				if (lo == 0)
					continue;
				size_t j = lo - 1; /* the last one starting at or before c */
				timeline_item_range(snap, tw, j, e->span, cw, &c0, &c1);
				if (c1 < c)
					continue;    /* none of its items reaches c */
				size_t a = 0, b = j; /* the first one ending at or after c */
				while (a < b) {
					size_t mid = a + (b - a) / 2;
					timeline_item_range(snap, tw, mid, e->span, cw, &c0, &c1);
					if (c1 >= c)
						b = mid;
					else
						a = mid + 1;
				}
				size_t f = 0, g = tw->n_fail; /* a failed one among [a, j]? */
				while (f < g) {
					size_t mid = f + (g - f) / 2;
					if (tw->fail[mid] < a)
						f = mid + 1;
					else
						g = mid;
				}
				fail |= f < tw->n_fail && tw->fail[f] <= j;
				if ((long)tw->pos[j] > best) {
					best = (long)tw->pos[j];
					st = timeline_state(snap, snap->order[tw->pos[j]], w,
					                    (long)j);
				}
			}
			e->cells[(size_t)r * (size_t)cw + (size_t)c] = fail ? TL_FAIL : st;
		}
	for (int w = 0; w < snap->workers; w++)
		e->nth[w] = (long)e->by_worker[w].n;
	e->n_order = e->n_indexed;
}

/* The cells of snap's timeline into out[wrows * cw], group workers a row:
 * the items finished (the cache, brought up to snap->n_order), then the
 * running ones; false when out of memory. */
static bool timeline_cells(const struct run_snapshot *snap, double span, int cw, int wrows,
                           int group, unsigned char *out)
{
	if (snap->n_order < snap->n_done + snap->n_failed) {
		/* no completion order (a hand-made snapshot): every item, in index order */
		long *nth = calloc((size_t)(snap->workers > 0 ? snap->workers : 1), sizeof *nth);
		if (!nth)
			return false;
		memset(out, TL_IDLE, (size_t)(wrows > 0 ? wrows : 1) * (size_t)cw);
		for (size_t i = 0; i < snap->n_items; i++) {
			const struct item_event iv = run_item_event(snap, i), *ev = &iv;
			if (ev->worker < 0 || ev->worker >= snap->workers)
				continue;
			long k = nth[ev->worker]++;
			if (ev->worker / group >= wrows)
				continue;
			timeline_mark(out, cw, ev->worker / group, ev->start_s,
			              ev->end_s > 0 ? ev->end_s : snap->now_s, span,
			              timeline_state(snap, i, ev->worker, k));
		}
		free(nth);
		return true;
	}
	struct tl_cache *e = timeline_cache(snap, span, cw, wrows, group);
	if (!e)
		return false;
	/* a new layout with items already finished: found, not placed again */
	if (e->n_order == 0 && e->n_indexed > 0 && timeline_index(e, snap))
		timeline_rebuild(e, snap);
	/* the items finished since: each indexed (while the lists keep up) and
	 * placed, its event read once */
	bool index = timeline_index_ready(e, snap);
	for (; e->n_order < snap->n_order; e->n_order++) {
		size_t i = snap->order[e->n_order];
		struct item_event iv;
		const struct item_event *ev =
		    i < snap->n_items ? (iv = run_item_event(snap, i), &iv) : NULL;
		if (index && e->in_time_order && e->n_indexed == e->n_order)
			timeline_index_one(e, snap, i, ev);
		if (!ev || ev->worker < 0 || ev->worker >= snap->workers)
			continue;
		long k = e->nth[ev->worker]++;
		if (ev->worker / group >= wrows)
			continue;
		double end = ev->end_s > 0 ? ev->end_s : snap->now_s;
		timeline_mark(e->cells, cw, ev->worker / group, ev->start_s, end, span,
		              timeline_state(snap, i, ev->worker, k));
	}
	memcpy(out, e->cells, (size_t)(wrows > 0 ? wrows : 1) * (size_t)cw);
	for (int w = 0; w < snap->workers && w / group < wrows && snap->per_worker; w++) {
		long i = snap->per_worker[w].cur_item;
		if (i < 0 || (size_t)i >= snap->n_items ||
		    run_item_status(snap, (size_t)i) != ITEM_RUNNING)
			continue;
		const struct item_event iv = run_item_event(snap, (size_t)i), *ev = &iv;
		if (ev->worker != w)
			continue;
		timeline_mark(out, cw, w / group, ev->start_s,
		              ev->end_s > 0 ? ev->end_s : snap->now_s, span,
		              timeline_state(snap, (size_t)i, w, e->nth[w]));
	}
	return true;
}

/* Who ran which item when: a row per worker across [0, span]. */
static void timeline_draw(const struct ui_panel *p, const struct run_snapshot *snap,
                          struct ui_rect box)
{
	struct ui_surface *s = p->s;
	const struct ui_glyphs *g = s->g;
	if (!snap || box.h <= 0 || box.w < 8)
		return;
	bool gil = panel_gil_timeline(snap);
	int label = 4;
	int cw = box.w - label;
	double span = timeline_span(snap);
	int nrows = box.h - 1; /* the last row is the axis */
	if (nrows < 1)
		nrows = box.h;
	/* a GIL timeline draws each thread's own row, and the GIL's row only
	 * where every thread keeps its own; with fewer rows than threads it is
	 * drawn as any timeline, the threads grouped (no thread left out) */
	if (gil && snap->workers > nrows)
		gil = false;
	int gil_row = gil && nrows >= snap->workers + 1 ? 1 : 0;
	int wrows = snap->workers < nrows - gil_row ? snap->workers : nrows - gil_row;
	if (wrows < 0)
		wrows = 0;
	/* more workers than rows (a run of 256): without a GIL timeline to tell
	 * apart, each row is a group of workers side by side, busy where any of
	 * them ran an item, and the axis says how many a row (a single row, in a
	 * column squeezed to one line, is every worker: labelled "all") */
	int group = 1;
	if (!gil && wrows >= 1 && snap->workers > wrows) {
		group = (snap->workers + wrows - 1) / wrows;
		wrows = (snap->workers + group - 1) / group;
		if (snap->workers > 100) { /* "w240 ": a column between label and row */
			label = snap->workers > 1000 ? 6 : 5;
			cw = box.w - label;
		}
	}
	/* spare rows make each worker's row taller (up to 3), for a projector */
	int k = wrows > 0 && wrows * group >= snap->workers ? (nrows - gil_row) / wrows : 1;
	if (k > 3)
		k = 3;
	if (k < 1)
		k = 1;
	char pre = panel_wprefix(snap->backend);
	unsigned char *cells = calloc((size_t)(wrows > 0 ? wrows : 1) * (size_t)cw, 1);
	float *held =
	    gil ? calloc((size_t)(snap->workers > 0 ? snap->workers : 1) * (size_t)cw, sizeof *held)
	        : NULL;
	/* gil, from each thread's own timeline: the share of each cell it held the
	 * GIL, waited for it, or was blocked in I/O (GIL released) */
	float *act =
	    gil ? calloc((size_t)(wrows > 0 ? wrows : 1) * (size_t)cw * 4, sizeof *act) : NULL;
	if (!cells || (gil && (!held || !act)))
		goto out;
	for (int w = 0; gil && span > 0 && w < wrows; w++) {
		const struct worker_snap *ws = &snap->per_worker[w];
		double cd = span / cw;
		for (size_t m = 0; m < ws->n_gil_marks; m++) {
			int a_ = ws->gil_marks[m].act;
			double a = fmax(ws->gil_marks[m].t_s, 0);
			double b = m + 1 < ws->n_gil_marks ? ws->gil_marks[m + 1].t_s : snap->now_s;
			if (b > span)
				b = span;
			if (a_ < 0 || a_ > 3)
				continue;
			for (int c = (int)(a / cd); c < cw && c * cd < b; c++) {
				double lo = fmax(a, c * cd), hi = fmin(b, (c + 1) * cd);
				if (hi > lo)
					act[((size_t)w * cw + c) * 4 + a_] +=
					    (float)((hi - lo) / cd);
			}
		}
	}
	if (span > 0) {
		/* items, in the order each worker ran them: the finished ones from the
		 * cache (only those finished since the last frame are placed), the
		 * running ones on top */
		if (!timeline_cells(snap, span, cw, wrows, group, cells))
			goto out;
		/* gil: the fraction of each cell each thread held the GIL */
		for (size_t k = 0; gil && k < snap->n_switches; k++) {
			int to = snap->switches[k].to;
			if (to < 0 || to >= snap->workers)
				continue;
			double a = snap->switches[k].t_s;
			double b = k + 1 < snap->n_switches ? snap->switches[k + 1].t_s : span;
			double cd = span / cw;
			for (int c = (int)(a / cd); c < cw && c * cd < b; c++) {
				double lo = fmax(a, c * cd), hi = fmin(b, (c + 1) * cd);
				if (hi > lo)
					held[to * cw + c] += (float)((hi - lo) / cd);
			}
		}
		/* no hand-off log (the real GIL, sampled): each thread's own timeline */
		for (int w = 0; gil && snap->n_switches == 0 && w < wrows && w < snap->workers; w++)
			for (int c = 0; c < cw; c++)
				held[w * cw + c] = act[((size_t)w * cw + c) * 4 + GIL_MARK_HOLD];
	}
	for (int rr = 0; rr < wrows * k; rr++) {
		int r = rr / k;
		int y = box.y + rr;
		unsigned wa = ui_worker_attr(s, r * group);
		if (rr % k == 0 && group >= snap->workers && snap->workers > 1)
			ui_put(s, &box, y, box.x, UI_BOLD, "all");
		else if (rr % k == 0)
			ui_putf(s, &box, y, box.x, wa | UI_BOLD, "%c%d", pre, r * group);
		for (int c = 0; c < cw; c++) {
			unsigned char st = cells[r * cw + c];
			const char *gl = " ";
			unsigned a = wa;
			if (st == TL_FAIL) {
				gl = g->fail;
				a = UI_COLOR(UI_C_ERR) | UI_BOLD;
			} else if (st != TL_IDLE && gil) {
				/* the share held is a bar k rows tall, filled from the bottom;
				 * the rest of the cell says why not: waiting (░) or in I/O (┈) */
				const float *fa = &act[((size_t)r * cw + c) * 4];
				bool marks = snap->per_worker[r].n_gil_marks > 0;
				float f = marks ? fa[GIL_MARK_HOLD] : held[r * cw + c];
				float fw = marks ? fa[GIL_MARK_WAIT] : 1 - f,
				      fb = marks ? fa[GIL_MARK_BLOCKED] : 0;
				int below = k - 1 - rr % k;
				long lv = lround(f * 8 * k) - 8L * below;
				if (lv > 8)
					lv = 8;
				bool io = fb > fw;
				if (f * 8 * k < 0.5f || (lv <= 0 && fw + fb >= 0.25f)) {
					gl = io ? g->blocked : g->wait;
					a = io ? UI_DIM : UI_COLOR(UI_C_WARN) | UI_DIM;
				} else if (lv <= 0) {
					gl = " ";
				} else {
					gl = g->level[lv];
				}
			} else if (st == TL_BUSY_A) {
				gl = g->busy;
			} else if (st == TL_BUSY_B) {
				gl = g->busy2;
				if (!s->color)
					a |= UI_DIM;
			} else {
				gl = g->dot;
				a = UI_DIM;
				if (c % 8 || rr % k != k / 2)
					gl = " ";
			}
			ui_put(s, &box, y, box.x + label + c, a, gl);
		}
	}
	if (gil_row && span > 0) {
		/* the GIL's row: who held it, hand-offs counted */
		int y = box.y + wrows * k;
		ui_put(s, &box, y, box.x, UI_BOLD, "GIL");
		double cd = span / cw;
		size_t k = 0;
		for (int c = 0; c < cw; c++) {
			/* the thread that held it longest in this cell; reversed if it changed
			 * hands */
			int nsw = 0, best = -1;
			float bf = 0.05f;
			while (k < snap->n_switches && snap->switches[k].t_s <= (c + 1) * cd) {
				nsw += snap->switches[k].to >= 0;
				k++;
			}
			for (int w = 0; w < snap->workers; w++)
				if (held[w * cw + c] > bf) {
					bf = held[w * cw + c];
					best = w;
				}
			if (best < 0)
				continue;
			char d[8];
			snprintf(d, sizeof d, "%d", best % 10);
			ui_put(s, &box, y, box.x + label + c,
			       ui_worker_attr(s, best) | (nsw > 1 ? UI_REVERSE : 0), d);
		}
	} else if (gil_row) {
		ui_put(s, &box, box.y + wrows * k, box.x, UI_BOLD, "GIL");
	}
	if (box.h >= 2) {
		/* the axis: 0 at the left, the span at the right */
		char right[32], left[8];
		int y = box.y + box.h - 1;
		ui_fmt_secs(right, sizeof right, span, g == &ui_glyphs_ascii);
		snprintf(left, sizeof left, "0");
		ui_fill(s, &box, y, box.x + label, cw, UI_DIM, g->hline);
		ui_put(s, &box, y, box.x + label, UI_DIM, left);
		ui_put(s, &box, y, box.x + box.w - ui_text_width(right), UI_DIM, right);
		if (group > 1)
			ui_putf(s, &box, y, box.x + label + 2, UI_BOLD,
			        cw > 40 ? " condensed: %d %ss a row " : " %d a row ", group,
			        pre == 't' ? "thread" : "worker");
		else if (snap->workers > wrows)
			ui_putf(s, &box, y, box.x + label + 2, UI_BOLD, " +%d more not shown ",
			        snap->workers - wrows);
		else if (gil && snap->switches && cw > 40)
			ui_putf(s, &box, y, box.x + label + 3, UI_DIM, " %zu hand-offs ",
			        snap->n_switches);
		else if (gil && cw > 40) /* the real GIL: no hand-off log, sampled states */
			ui_put(s, &box, y, box.x + label + 3, UI_DIM, " sampled from /proc ");
		else if (snap->items_grouped > 0 && cw > 24) /* their times are spread, not read */
			ui_put(s, &box, y, box.x + label + 3, UI_DIM,
			       cw > 40 ? " fast items timed in groups " : " times grouped ");
	}
out:
	free(cells);
	free(held);
	free(act);
}

const struct ui_panel_ops ui_panel_timeline = {
    .name = "timeline",
    .want = timeline_want,
    .draw = timeline_draw,
};

/* --- timing --------------------------------------------------------------- */

/* The load a finished map's figures were measured under: its own, with its
 * baseline's where its speedup is against one (machine.h decides). */
static struct machine_load timing_load(const struct ui_panel *p, const struct run_snapshot *snap)
{
	struct machine_load l;
	machine_load_speedup(&snap->machine, p->base ? &p->base->machine : NULL, &l);
	return l;
}

/* Whether a finished map's figures were spoiled by other work. */
static bool timing_spoiled(const struct ui_panel *p, const struct run_snapshot *snap)
{
	bool over = snap->state == RUN_DONE || snap->state == RUN_CANCELLED;
	struct machine_load l = timing_load(p, snap);
	return over && machine_load_spoils(&l);
}

const char *ui_busy_words(const struct machine_load *l, int width, bool plural, char *buf,
                          size_t len)
{
	const char *ups = plural ? "speedups" : "speedup";

	machine_load_note(l, buf, len);
	if (ui_text_width(buf) > width)
		snprintf(buf, len, "machine %.0f%% busy: %s low", 100 * l->busy, ups);
	if (ui_text_width(buf) > width)
		snprintf(buf, len, "%.0f%% busy: %s low", 100 * l->busy, ups);
	if (ui_text_width(buf) > width)
		snprintf(buf, len, "%.0f%% busy", 100 * l->busy);
	return buf;
}

/* Beside the speedup: the machine was busy with other work, in the words that fit. */
static void timing_busy_note(const struct ui_panel *p, struct ui_rect *box, int y,
                             const struct run_snapshot *snap)
{
	char note[160];
	struct machine_load l = timing_load(p, snap);
	ui_put(p->s, box, y, box->x, UI_COLOR(UI_C_WARN) | UI_BOLD,
	       ui_busy_words(&l, box->w, false, note, sizeof note));
}

/* Two rows: times, then speedup and efficiency (a third: the machine was busy). */
static int timing_want(const struct ui_panel *p, const struct run_snapshot *snap, int w)
{
	if (!snap)
		return 0;
	return 2 + (w < 40) + (panel_gil(snap)) + timing_spoiled(p, snap);
}

/* Wall, CPU, start-up; speedup and efficiency against the baseline. */
static void timing_draw(const struct ui_panel *p, const struct run_snapshot *snap,
                        struct ui_rect box)
{
	struct ui_surface *s = p->s;
	if (!snap || box.h <= 0)
		return;
	bool ascii = s->g == &ui_glyphs_ascii;
	char wall[32], cpu[32], st[32];
	bool over = snap->state == RUN_DONE || snap->state == RUN_CANCELLED;
	bool spoiled = timing_spoiled(p, snap); /* the note below, and the colour of the speedup */
	ui_fmt_secs(wall, sizeof wall, over ? snap->wall_s : snap->now_s, ascii);
	ui_fmt_secs(cpu, sizeof cpu, snap->cpu_s, ascii);
	ui_fmt_secs(st, sizeof st, snap->startup_s, ascii);
	int x = box.x;
	x += ui_put(s, &box, box.y, x, UI_DIM, "wall ");
	x += ui_put(s, &box, box.y, x, UI_BOLD, wall);
	x += ui_put(s, &box, box.y, x, UI_DIM, "  cpu ");
	x += ui_put(s, &box, box.y, x, 0, cpu);
	if (x + 11 + ui_text_width(st) <= box.x + box.w) {
		x += ui_put(s, &box, box.y, x, UI_DIM, "  start-up ");
		x += ui_put(s, &box, box.y, x, 0, st);
	}
	if (box.h < 2)
		return;
	int y = box.y + 1;
	bool narrow = box.w < 40 && box.h >= 3; /* progress gets its own row */
	x = box.x;
	const char *state = snap->state == RUN_STARTING    ? "starting"
	                    : snap->state == RUN_RUNNING   ? "running"
	                    : snap->state == RUN_CANCELLED ? "cancelled"
	                                                   : "done";
	unsigned sa = snap->state == RUN_CANCELLED ? UI_COLOR(UI_C_ERR) | UI_BOLD
	              : over                       ? UI_COLOR(UI_C_OK)
	                                           : UI_COLOR(UI_C_WARN) | UI_BOLD;
	double w = over ? snap->wall_s : snap->now_s;
	if (over && backend_get(snap->backend)->serial) {
		x += ui_put(s, &box, y, x, UI_BOLD, "baseline");
	} else if (over && p->base && p->base->wall_s > 0 && w > 0) {
		double sp = p->base->wall_s / w;
		double eff = snap->workers > 0 ? 100 * sp / snap->workers : 0;
		x += ui_put(s, &box, y, x, UI_DIM, "speedup ");
		/* green where it is a speedup to believe; a busy machine's is not */
		bool good = sp >= 1.2 && !spoiled;
		x += ui_putf(s, &box, y, x, UI_BOLD | UI_COLOR(good ? UI_C_OK : UI_C_WARN),
		             "%.2f%s", sp, s->g->times);
		x += ui_putf(s, &box, y, x, UI_DIM, box.w >= 40 ? "  efficiency " : " eff ");
		x += ui_putf(s, &box, y, x, 0, "%.0f%%", eff);
	} else if (over && w > 0) {
		/* how many cores were busy: CPU / wall, as the text report says it;
		 * a map too short for that counts the time inside items instead */
		double used = snap->cpu_s;
		const char *how = " (CPU/wall)";
		if (w < PANEL_CPU_MIN_S) {
			used = 0;
			for (int i = 0; i < snap->workers; i++)
				used += snap->per_worker[i].busy_s;
			how = " (busy/wall)";
		}
		x += ui_put(s, &box, y, x, UI_DIM, "parallelism ");
		x += ui_putf(s, &box, y, x, UI_BOLD, "%.2f%s", used / w, s->g->times);
		x += ui_put(s, &box, y, x, UI_DIM, how);
	}
	char prog[64];
	if (narrow) {
		y++;
		x = box.x;
	}
	snprintf(prog, sizeof prog, "%s%zu/%zu %s", narrow ? "" : "  ",
	         snap->n_done + snap->n_failed, snap->n_items, state);
	x += ui_put(s, &box, y, x, sa, prog);
	if (snap->n_failed)
		x += ui_putf(s, &box, y, x, UI_COLOR(UI_C_ERR) | UI_BOLD, " %zu failed",
		             snap->n_failed);
	if (spoiled && y + 1 < box.y + box.h)
		timing_busy_note(p, &box, ++y, snap);
	if (snap->switches && y + 1 < box.y + box.h)
		ui_putf(s, &box, y + 1, box.x, UI_DIM, "GIL hand-offs %zu", snap->n_switches);
	else if (snap->switches && narrow)
		ui_putf(s, &box, y, x, UI_DIM, "  %zu hand-offs", snap->n_switches);
}

const struct ui_panel_ops ui_panel_timing = {
    .name = "timing",
    .want = timing_want,
    .draw = timing_draw,
};

/* --- results -------------------------------------------------------------- */

/* One element of the list: its text and who produced it. */
static void results_elem(const struct run_snapshot *snap, size_t idx, char *buf, size_t size,
                         unsigned *attr, const struct ui_surface *s)
{
	unsigned st = run_item_status(snap, idx);
	int w = run_item_who(snap, idx).worker;
	if (st == ITEM_FAILED) {
		snprintf(buf, size, "%s", s->g->fail);
		*attr = UI_COLOR(UI_C_ERR) | UI_BOLD;
	} else if (st != ITEM_DONE) {
		snprintf(buf, size, "%s", "_");
		*attr = UI_DIM;
	} else if (!snap->task_returns) {
		snprintf(buf, size, "None");
		*attr = ui_worker_attr(s, w);
	} else {
		snprintf(buf, size, "%lld", (long long)snap->results[idx]);
		*attr = ui_worker_attr(s, w);
	}
}

/* Rows the list takes wrapped at width w (continuation rows indented one
 * column, under the "["); stops counting past max. */
static int results_rows(const struct run_snapshot *snap, struct ui_surface *s, int w, int max)
{
	char buf[32];
	unsigned a;
	size_t n = snap->unordered ? snap->n_order : snap->n_items;
	int rows = 1, x = 1;
	for (size_t k = 0; k < n && rows <= max; k++) {
		size_t i = snap->unordered ? snap->order[k] : k;
		results_elem(snap, i, buf, sizeof buf, &a, s);
		int need = ui_text_width(buf) + (k + 1 < n ? 2 : 1);
		if (x + need > w && x > 1) {
			rows++;
			x = 1;
		}
		x += need;
	}
	return rows;
}

/* Rows: the list (wrapped) with the worker of each element beneath each of
 * its rows, one per error, the counter. */
static int results_want(const struct ui_panel *p, const struct run_snapshot *snap, int w)
{
	if (!snap)
		return 0;
	int rows = w > 6 ? results_rows(snap, p->s, w, 4) : 1;
	if (rows > 4)
		rows = 4;
	rows *= 2; /* by worker */
	rows += snap->n_errors < 3 ? (int)snap->n_errors : 3;
	rows += snap->has_parent_counter;
	return rows;
}

/* The results as Python prints the list, each element in its worker's colour
 * and, when there is room, that worker's name beneath it. */
static void results_draw(const struct ui_panel *p, const struct run_snapshot *snap,
                         struct ui_rect box)
{
	struct ui_surface *s = p->s;
	const struct ui_glyphs *g = s->g;
	if (!snap || box.h <= 0 || box.w < 6)
		return;
	int extra = (snap->n_errors < 3 ? (int)snap->n_errors : 3) + snap->has_parent_counter;
	int avail = box.h - extra;
	if (avail < 1)
		avail = 1;
	/* each row of the list with its row of workers beneath, if all of it fits */
	int need = results_rows(snap, s, box.w, avail);
	bool paired = 2 * need <= avail;
	int text_rows = paired ? need : avail;
	int step = paired ? 2 : 1;
	char buf[32];
	unsigned a;
	size_t order_n = snap->unordered ? snap->n_order : snap->n_items;
	int row = 0, y = box.y, x = box.x;
	int ell = ui_text_width(g->ellipsis) + 1;
	x += ui_put(s, &box, y, x, UI_BOLD, "[");
	for (size_t k = 0; k < order_n; k++) {
		size_t i = snap->unordered ? snap->order[k] : k;
		results_elem(snap, i, buf, sizeof buf, &a, s);
		int need_w = ui_text_width(buf) + (k + 1 < order_n ? 2 : 1);
		bool last_row = row == text_rows - 1;
		if (x + need_w > box.x + box.w - (last_row && k + 1 < order_n ? ell : 0) &&
		    x > box.x + 1) {
			if (last_row) {
				ui_put(s, &box, y, x, UI_DIM, g->ellipsis);
				x += ui_text_width(g->ellipsis);
				ui_put(s, &box, y, x, UI_BOLD, "]");
				goto list_done;
			}
			row++;
			y += step;
			x = box.x + 1;
		}
		int w = run_item_who(snap, i).worker;
		if (paired && w >= 0 && run_item_status(snap, i) == ITEM_DONE) {
			char wl[16];
			snprintf(wl, sizeof wl, "%c%d", panel_wprefix(snap->backend), w);
			ui_put(s, &box, y + 1, x, ui_worker_attr(s, w) | UI_DIM, wl);
		}
		x += ui_put(s, &box, y, x, a, buf);
		if (k + 1 < order_n)
			x += ui_put(s, &box, y, x, 0, ", ");
	}
	x += ui_put(s, &box, y, x, UI_BOLD, "]");
	if (paired && x + 3 + 12 <= box.x + box.w)
		ui_put(s, &box, y + 1, x + 3, UI_DIM, "<- by worker");
list_done:
	y = box.y + (paired ? 2 * need : text_rows);
	for (size_t e = 0; e < snap->n_errors && e < 3 && y < box.y + box.h; e++, y++) {
		int cx = box.x + ui_put(s, &box, y, box.x, UI_COLOR(UI_C_ERR) | UI_BOLD, g->fail);
		ui_putf(s, &box, y, cx + 1, UI_COLOR(UI_C_ERR), "%s", snap->errors[e].message);
	}
	if (snap->has_parent_counter && y < box.y + box.h)
		ui_putf(s, &box, y, box.x, 0, "parent's counter after the map: %ld",
		        snap->parent_counter);
}

const struct ui_panel_ops ui_panel_results = {
    .name = "results",
    .want = results_want,
    .draw = results_draw,
};

/* --- output --------------------------------------------------------------- */

/* Rows: a heading and the lines so far. */
static int output_want(const struct ui_panel *p, const struct run_snapshot *snap, int w)
{
	(void)p;
	(void)w;
	if (!snap || snap->n_output == 0)
		return 0;
	return 1 + (int)(snap->n_output < 50 ? snap->n_output : 50);
}

/* The workers' output in arrival order; the last lines that fit. */
static void output_draw(const struct ui_panel *p, const struct run_snapshot *snap,
                        struct ui_rect box)
{
	struct ui_surface *s = p->s;
	if (!snap || box.h <= 0 || snap->n_output == 0)
		return;
	ui_putf(s, &box, box.y, box.x, UI_DIM | UI_UNDERLINE,
	        "output, in arrival order (%zu line%s)", snap->n_output,
	        snap->n_output == 1 ? "" : "s");
	int rows = box.h - 1;
	size_t first = snap->n_output > (size_t)rows ? snap->n_output - (size_t)rows : 0;
	char pre = panel_wprefix(snap->backend);
	for (size_t i = first; i < snap->n_output; i++) {
		int y = box.y + 1 + (int)(i - first);
		const struct output_line *o = &snap->output[i];
		int x = box.x + ui_putf(s, &box, y, box.x, ui_worker_attr(s, o->worker) | UI_BOLD,
		                        "%c%d", pre, o->worker);
		x += ui_put(s, &box, y, x, UI_DIM, "> ");
		ui_put(s, &box, y, x, 0, o->text ? o->text : "");
	}
}

const struct ui_panel_ops ui_panel_output = {
    .name = "output",
    .want = output_want,
    .draw = output_draw,
};

/* --- legend --------------------------------------------------------------- */

/* Always one row. */
int ui_panel_want_one_row(const struct ui_panel *p, const struct run_snapshot *snap, int w)
{
	(void)p;
	(void)snap;
	(void)w;
	return 1;
}

/* What each glyph and colour means, in one row; p->data, if set, points to
 * the most workers a run drawn has (an int): only their colours are named. */
static void legend_draw(const struct ui_panel *p, const struct run_snapshot *snap,
                        struct ui_rect box)
{
	struct ui_surface *s = p->s;
	const struct ui_glyphs *g = s->g;
	unsigned w0 = ui_worker_attr(s, 0);
	/* each entry's glyphs, then its words: long, or short when the row is narrow */
	const struct {
		const char *glyph, *glyph2;
		unsigned attr, attr2;
		const char *words, *brief;
	} ent[] = {
	    {g->busy, g->busy2, w0, w0 | (s->color ? 0 : UI_DIM), "items run", "item"},
	    {g->fail, "", UI_COLOR(UI_C_ERR) | UI_BOLD, 0, "failed", "failed"},
	    {g->level[4], "", 0, 0, "share holding GIL", "holds GIL"},
	    {g->wait, "", UI_COLOR(UI_C_WARN) | UI_DIM, 0, "waiting for GIL", "waits GIL"},
	    {g->blocked, "", UI_DIM, 0, "in I/O (GIL released)", "I/O"},
	    {g->bar[8], g->bar[4], 0, 0, "CPU%", "CPU"},
	    {"_", "", UI_DIM, 0, "pending", "pending"},
	};
	const size_t n = sizeof ent / sizeof ent[0];
	(void)snap;
	if (box.h <= 0)
		return;
	/* the long words if they leave room for a few worker labels */
	int need = 7 + 4; /* "legend " and one worker label */
	for (size_t i = 0; i < n; i++)
		need += ui_text_width(ent[i].glyph) + ui_text_width(ent[i].glyph2) +
		        (int)strlen(ent[i].words) + 2;
	bool brief = need > box.w;
	int x = box.x, y = box.y;
	x += ui_put(s, &box, y, x, UI_BOLD, "legend ");
	for (size_t i = 0; i < n; i++) {
		x += ui_put(s, &box, y, x, ent[i].attr, ent[i].glyph);
		x += ui_put(s, &box, y, x, ent[i].attr2, ent[i].glyph2);
		x += ui_putf(s, &box, y, x, 0, " %s ", brief ? ent[i].brief : ent[i].words);
	}
	x += ui_put(s, &box, y, x, 0, " ");
	/* the workers' colours: as many as the runs drawn have (data: that count) */
	int nw = p->data ? *(const int *)p->data : UI_WORKER_COLORS;
	for (int w = 0; w < UI_WORKER_COLORS && w < nw && x < box.x + box.w - 4; w++) {
		x += ui_putf(s, &box, y, x, ui_worker_attr(s, w) | UI_BOLD, "w%d", w);
		x += ui_put(s, &box, y, x, 0, " ");
	}
}

const struct ui_panel_ops ui_panel_legend = {
    .name = "legend",
    .want = ui_panel_want_one_row,
    .draw = legend_draw,
};

/* --- a backend's column ------------------------------------------------------ */

/* The panels of a column, top to bottom, with the rows each keeps when
 * space is short and the order in which they get them (the figures first:
 * timing and results read well in two rows, a timeline does not). */
static const struct {
	const struct ui_panel_ops *ops;
	int min;  /* rows it keeps when space is short */
	int rank; /* 0 first served */
} column_panels[] = {
    {&ui_panel_meters, 1, 2},  {&ui_panel_timeline, 2, 3}, {&ui_panel_timing, 2, 0},
    {&ui_panel_results, 1, 1}, {&ui_panel_output, 0, 4},
};
#define COLUMN_N (sizeof column_panels / sizeof column_panels[0])

void ui_column_draw(struct ui_surface *s, const struct run_snapshot *snap, enum backend_kind kind,
                    int workers, struct ui_rect box, const struct run_snapshot *base)
{
	char title[96];
	const struct backend_info *b = backend_get(kind);
	const char *what = !b ? "workers" : workers == 1 ? b->worker : b->workers;
	if (b && b->title_extra)
		snprintf(title, sizeof title, "%s %s %s %s %d", b->name, s->g->dot, b->title_extra,
		         s->g->dot, workers);
	else
		snprintf(title, sizeof title, "%s %s %d %s", backend_name(kind), s->g->dot, workers,
		         what);
	ui_clear(s, box);
	ui_box(s, box, title, UI_BOLD | UI_COLOR(UI_C_TITLE));
	struct ui_rect in = {box.y + 1, box.x + 1, box.h - 2, box.w - 2};
	if (in.h <= 0 || in.w <= 0)
		return;
	if (!snap) {
		ui_put(s, &in, in.y, in.x, UI_DIM, "waiting for its turn");
		return;
	}
	struct ui_panel p = {.s = s, .base = base};
	int want[COLUMN_N], give[COLUMN_N], left = in.h;
	for (size_t i = 0; i < COLUMN_N; i++) {
		p.ops = column_panels[i].ops;
		want[i] = p.ops->want(&p, snap, in.w);
	}
	/* many workers: the meters take at most 2/5 of the column ("+N more"),
	 * so the timeline below them keeps rows to show the map in */
	if (want[0] > 8 && want[0] > in.h * 2 / 5)
		want[0] = in.h * 2 / 5 > 8 ? in.h * 2 / 5 : 8;
	for (int rank = 0; rank < (int)COLUMN_N; rank++)
		for (size_t i = 0; i < COLUMN_N; i++) {
			if (column_panels[i].rank != rank)
				continue;
			give[i] = want[i] < column_panels[i].min ? want[i] : column_panels[i].min;
			if (give[i] > left)
				give[i] = left;
			left -= give[i];
		}
	/* then grow each panel toward what it wants, top to bottom */
	for (size_t i = 0; i < COLUMN_N && left > 0; i++) {
		int more = want[i] - give[i];
		if (more > left)
			more = left;
		give[i] += more;
		left -= more;
	}
	/* what is left makes the timeline's rows taller (it draws up to 3 a worker) */
	if (left > 0 && give[1] > 0 && give[1] == want[1]) {
		int more = snap->workers * 2;
		give[1] += more < left ? more : left;
	}
	int y = in.y;
	for (size_t i = 0; i < COLUMN_N; i++) {
		if (give[i] <= 0)
			continue;
		p.ops = column_panels[i].ops;
		p.ops->draw(&p, snap, (struct ui_rect){y, in.x, give[i], in.w});
		y += give[i];
	}
}

void ui_baseline_draw(struct ui_surface *s, const struct run_snapshot *snap, struct ui_rect box)
{
	char wall[32], cpu[32];
	bool ascii = s->g == &ui_glyphs_ascii;
	if (box.h <= 0)
		return;
	ui_clear(s, box);
	int x = box.x;
	char title[48];
	snprintf(title, sizeof title, "%s baseline ",
	         snap ? backend_name(snap->backend) : "serial");
	x += ui_put(s, &box, box.y, x, UI_BOLD | UI_COLOR(UI_C_TITLE), title);
	if (!snap) {
		ui_put(s, &box, box.y, x, UI_DIM, "waiting");
		return;
	}
	bool over = snap->state == RUN_DONE || snap->state == RUN_CANCELLED;
	ui_fmt_secs(wall, sizeof wall, over ? snap->wall_s : snap->now_s, ascii);
	ui_fmt_secs(cpu, sizeof cpu, snap->cpu_s, ascii);
	x += ui_put(s, &box, box.y, x, UI_DIM, "wall ");
	x += ui_put(s, &box, box.y, x, UI_BOLD, wall);
	x += ui_put(s, &box, box.y, x, UI_DIM, "  cpu ");
	x += ui_put(s, &box, box.y, x, 0, cpu);
	x += ui_putf(s, &box, box.y, x, UI_DIM, "  %zu/%zu items%s", snap->n_done, snap->n_items,
	             over ? "" : " running");
	if (!over)
		return;
	if (machine_load_spoils(&snap->machine)) { /* a busy baseline spoils every speedup */
		char busy[160];
		ui_busy_words(&snap->machine, box.x + box.w - x - 2, true, busy, sizeof busy);
		ui_putf(s, &box, box.y, x, UI_COLOR(UI_C_WARN) | UI_BOLD, "  %s", busy);
		return;
	}
	/* the longest note that fits */
	static const char *const note[] = {"  (speedups below are against it)",
	                                   "  (speedups are against it)"};
	for (size_t i = 0; i < sizeof note / sizeof note[0]; i++)
		if (x + ui_text_width(note[i]) <= box.x + box.w) {
			ui_put(s, &box, box.y, x, UI_DIM, note[i]);
			break;
		}
}
