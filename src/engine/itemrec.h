/*
 * itemrec.h — one item of a map as a snapshot keeps it, packed in 16 bytes,
 * and the table of who ran the items. A compare of a million items keeps four
 * maps at once (and the tutor replays them), so an item is one record instead
 * of a status byte and a 32-byte event: its status, who ran it (an index into
 * the table of workers' incarnations: worker slot, pid, tid) and its start and
 * end in ns since the map began, exactly the readings the worker took. The
 * snapshot's accessors (run_item_status, run_item_event in engine.h) read it.
 *
 * Layout of a record: lo = start_ns (52 bits, two's complement) << 12 | who &
 * 0xfff; hi = end_ns (52 bits) << 12 | status << 9 | who >> 12. 52 bits of ns
 * span +-26 days; who has 21 bits, more than the items and workers of a map.
 */
#ifndef MPTUTOR_ITEMREC_H
#define MPTUTOR_ITEMREC_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define ITEM_NS_BITS 52                                      /* bits of a start or end */
#define ITEM_NS_MAX ((INT64_C(1) << (ITEM_NS_BITS - 1)) - 1) /* latest time kept, ns */
#define ITEM_WHO_MAX ((UINT32_C(1) << 21) - 1)               /* largest index into who[] */

/* One item: status, who, start, end (see above). All zero: pending, nobody. */
struct item_rec {
	uint64_t lo, hi;
};

/* Who ran an item: a worker slot's incarnation. Entry 0 of a table is nobody. */
struct item_who {
	int worker;     /* slot, -1 none */
	pid_t pid, tid; /* its process and kernel thread, 0 unknown */
};

/* ns into 52 bits (clamped to the range kept). */
static inline uint64_t item_ns_pack(int64_t ns)
{
	if (ns > ITEM_NS_MAX)
		ns = ITEM_NS_MAX;
	if (ns < -ITEM_NS_MAX)
		ns = -ITEM_NS_MAX;
	return (uint64_t)ns & ((UINT64_C(1) << ITEM_NS_BITS) - 1);
}

/* 52 bits back to ns, the sign extended. */
static inline int64_t item_ns_unpack(uint64_t v)
{
	v >>= 12;
	return v & (UINT64_C(1) << (ITEM_NS_BITS - 1)) ? (int64_t)v - (INT64_C(1) << ITEM_NS_BITS)
	                                               : (int64_t)v;
}

/* An item's record (status: enum item_status; who: an index into the table). */
static inline struct item_rec item_rec_make(unsigned status, uint32_t who, int64_t start_ns,
                                            int64_t end_ns)
{
	return (struct item_rec){
	    .lo = item_ns_pack(start_ns) << 12 | (who & 0xfff),
	    .hi = item_ns_pack(end_ns) << 12 | (uint64_t)(status & 7) << 9 | (who >> 12 & 0x1ff),
	};
}

static inline unsigned item_rec_status(struct item_rec r)
{
	return (unsigned)(r.hi >> 9 & 7);
}

static inline uint32_t item_rec_who(struct item_rec r)
{
	return (uint32_t)(r.lo & 0xfff) | (uint32_t)(r.hi & 0x1ff) << 12;
}

/* Start and end, ns since the map began (end 0 while running). */
static inline int64_t item_rec_start_ns(struct item_rec r)
{
	return item_ns_unpack(r.lo);
}

static inline int64_t item_rec_end_ns(struct item_rec r)
{
	return item_ns_unpack(r.hi);
}

/* The same record with another status and end (a replay's view of it). */
static inline struct item_rec item_rec_at(struct item_rec r, unsigned status, int64_t end_ns)
{
	return item_rec_make(status, item_rec_who(r), item_rec_start_ns(r), end_ns);
}

/* Seconds as a snapshot shows them from ns, and back (a recording's times). */
static inline double item_ns_s(int64_t ns)
{
	return (double)ns / 1e9;
}
int64_t item_s_ns(double s);

/* The table of who ran a map's items, built as they are recorded. */
struct item_who_table {
	struct item_who *who; /* [n]; who[0] is nobody */
	uint32_t *prev;       /* [n] the entry before it of the same worker, 0 none */
	uint32_t *last;       /* [workers + 1] each worker's latest entry (index worker + 1) */
	size_t n, cap;
	int workers;
};

/* An empty table (nobody only) for workers 0..workers-1; -1 when out of memory. */
int item_who_init(struct item_who_table *t, int workers);
/* The index of (worker, pid, tid), added if new. Out of memory (or past
 * ITEM_WHO_MAX) the worker's latest entry stands in (nobody if it has none);
 * a worker outside the table's is nobody. */
uint32_t item_who_index(struct item_who_table *t, int worker, pid_t pid, pid_t tid);
/* Hand the entries over (free() them; *n their count); the table is emptied. */
struct item_who *item_who_take(struct item_who_table *t, size_t *n);
void item_who_free(struct item_who_table *t);

#endif
