/*
 * record.h — a session's recordings: a finished map or Process demo kept
 * after the engine frees it (a self-contained deep copy of its last
 * snapshot: it owns every array and string it points to, so it can be
 * drawn, reported, saved or handed around without the run), and the replay
 * of a recorded map: the snapshot as it was t seconds into the map, rebuilt
 * from the recorded events, so a map of microseconds can be shown slowly.
 *
 * Contract: a rec is zeroed or freed before session_rec_copy; after a
 * successful copy rec->snap points only into rec's own arrays (valid until
 * session_rec_free), except for its items and results once shared
 * (session_rec_share): then into arrays the caller keeps as long as rec.
 * An item costs a rec 28 bytes (a 16-byte record, its result, its place in
 * the order), 20 with the results shared, the items kept elsewhere.
 * session_replay_at's result points into rp and rec: valid until the next
 * session_replay_at on rp, or until either is freed.
 */
#ifndef MPTUTOR_SESSION_RECORD_H
#define MPTUTOR_SESSION_RECORD_H

#include "engine/engine.h"

/* A deep copy of a map's snapshot, owned here (the engine's pointers die with the run). */
struct session_rec {
	struct run_snapshot snap; /* points into the arrays below */
	struct worker_snap *per_worker;
	int64_t *items, *results; /* owned, NULL once shared (snap.items/results: the others) */
	struct item_rec *recs;    /* status, who, times by item */
	struct item_who *who;     /* who ran them */
	uint32_t *order;
	struct output_line *output;
	struct run_error *errors;
	struct gil_switch *switches;
	struct gil_mark **marks;   /* [workers] each worker's gil timeline, or NULL */
	struct run_python *python; /* py-* runs: the interpreter and its strings, or NULL */
	char *fault;               /* why the run ended early, or NULL */
};
/* Copy snap into rec (rec zeroed or freed first); -1 on allocation failure. */
int session_rec_copy(struct session_rec *rec, const struct run_snapshot *snap);
/* The same for run's final snapshot snap, the item arrays (a million items: tens of
 * MB) taken over from the run instead of copied (run_take_arrays): then only
 * run_free may follow on run. -1 on allocation failure (the run keeps its arrays). */
int session_rec_take(struct session_rec *rec, const struct run_snapshot *snap, struct run *run);
/* Free what rec owns; it is zeroed after (safe twice). */
void session_rec_free(struct session_rec *rec);
/* Let rec read its items from items and its results from results (either
 * may be NULL), each where it holds the same values ([snap.n_items], kept by
 * the caller until rec is freed: the session's request, an earlier row of
 * the same items): rec's own copies freed, so a compare keeps them once. */
void session_rec_share(struct session_rec *rec, const int64_t *items, const int64_t *results);

/* A deep copy of a process demo's snapshot (the demo's pointers die with it). */
struct session_proc_rec {
	struct proc_demo_snap snap; /* points into the arrays below */
	struct proc_demo_child *procs;
	struct output_line *output;
	struct run_python *python; /* the Python variant's interpreter, or NULL */
	char *fault;               /* the Python variant's fault, or NULL */
};
/* Copy snap into rec (rec zeroed or freed first); -1 on allocation failure. */
int session_proc_rec_copy(struct session_proc_rec *rec, const struct proc_demo_snap *snap);
/* Free what rec owns; it is zeroed after (safe twice). */
void session_proc_rec_free(struct session_proc_rec *rec);

/* Scratch space for a replayed snapshot (zero it before the first use). */
struct session_replay {
	struct run_snapshot snap;
	struct worker_snap *per_worker;
	struct item_rec *recs;
	uint32_t *order;
	struct run_error *errors;
	size_t cap_items, cap_workers, cap_errors;
};
/* The map as it was t seconds into it; *out points into rp and rec (t past
 * the end: rec's own snapshot). -1 on allocation failure. */
int session_replay_at(const struct session_rec *rec, double t, struct session_replay *rp,
                      const struct run_snapshot **out);
/* Free the scratch; it is zeroed after. */
void session_replay_free(struct session_replay *rp);

/* The demo as it was t seconds in, into *out (pointing into rec): before its
 * end the moment is t and it has not ended; at or past it, rec's snapshot. */
void session_proc_replay_at(const struct session_proc_rec *rec, double t,
                            struct proc_demo_snap *out);

#endif
