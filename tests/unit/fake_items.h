/*
 * fake_items.h — the items of the unit tests' hand-made snapshots: a test
 * writes each item's status and event as plain arrays; fake_items_pack packs
 * them into the records and who table a snapshot holds (engine/itemrec.h).
 */
#ifndef MPTUTOR_FAKE_ITEMS_H
#define MPTUTOR_FAKE_ITEMS_H

#include "engine/engine.h"

#define FAKE_WHO_MAX 16 /* distinct (worker, pid, tid) a fake snapshot may have */

/* Pack status[n] (NULL: all done) and events[n] (NULL: nobody ran them) into
 * recs[n] and who[FAKE_WHO_MAX], and point s at them. */
static inline void fake_items_pack(struct run_snapshot *s, const uint8_t *status,
                                   const struct item_event *events, struct item_rec *recs,
                                   struct item_who *who)
{
	size_t n_who = 1;
	who[0] = (struct item_who){.worker = -1};
	for (size_t i = 0; i < s->n_items; i++) {
		struct item_event e = events ? events[i] : (struct item_event){.worker = -1};
		uint32_t k = 0;
		while (k < n_who &&
		       !(who[k].worker == e.worker && who[k].pid == e.pid && who[k].tid == e.tid))
			k++;
		if (k == n_who && n_who < FAKE_WHO_MAX)
			who[n_who++] =
			    (struct item_who){.worker = e.worker, .pid = e.pid, .tid = e.tid};
		recs[i] = item_rec_make(status ? status[i] : ITEM_DONE, k < n_who ? k : 0,
		                        item_s_ns(e.start_s), item_s_ns(e.end_s));
	}
	s->recs = recs;
	s->who = who;
	s->n_who = n_who;
}

#endif
