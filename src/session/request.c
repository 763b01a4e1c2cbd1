/*
 * request.c — a parsed request turned into engine specs (request.h): the one
 * place that decides a run's workers and chunksize per backend.
 */
#include "session/request.h"

#include <stdlib.h>
#include <string.h>

/* process: --join-after if given; one Process joined at its exit; several never joined. */
int run_request_join_after(const struct run_request *req)
{
	if (req->join_after_given)
		return req->join_after_ms;
	return req->n_items == 1 ? 0 : PROC_DEMO_NO_JOIN;
}

/* Free what a request owns; safe on a zeroed request, and twice. */
void run_request_free(struct run_request *req)
{
	free(req->items);
	req->items = NULL;
	req->n_items = 0;
	free(req->output);
	req->output = NULL;
	free(req->record);
	req->record = NULL;
}

/* A deep copy of src into dst (items and output path owned); -1 when out of memory,
 * with dst left zeroed. */
int run_request_copy(struct run_request *dst, const struct run_request *src)
{
	*dst = *src;
	dst->items = NULL;
	dst->output = NULL;
	dst->record = NULL;
	if (src->n_items > 0) {
		dst->items = malloc(src->n_items * sizeof *dst->items);
		if (!dst->items)
			goto oom;
		memcpy(dst->items, src->items, src->n_items * sizeof *dst->items);
	}
	if (src->output && !(dst->output = strdup(src->output)))
		goto oom;
	if (src->record && !(dst->record = strdup(src->record)))
		goto oom;
	return 0;
oom:
	run_request_free(dst);
	memset(dst, 0, sizeof *dst);
	return -1;
}

/* The workers' nice: the request's, for a map of more workers than CPUs. */
static void run_request_nice(const struct run_request *req, struct run_spec *spec)
{
	spec->worker_nice = spec->workers > engine_default_workers() ? req->oversubscribed_nice : 0;
}

/* Fill an engine spec for one backend from a request (items and the
 * interpreter's strings are borrowed: the spec lives no longer than req). */
void run_request_spec(const struct run_request *req, enum backend_kind backend,
                      struct run_spec *spec)
{
	memset(spec, 0, sizeof *spec);
	spec->task = req->task;
	spec->backend = backend;
	bool serial = backend_get(backend)->serial;
	spec->workers = serial ? 1 : req->workers;
	spec->chunksize = req->chunksize;
	if (serial && !req->chunksize_given)
		spec->chunksize = engine_default_chunksize(req->n_items, 1);
	spec->unordered = req->unordered;
	spec->switch_interval_s = req->switch_interval_s;
	spec->items = req->items;
	spec->n_items = req->n_items;
	spec->python = req->python[0] != '\0' ? req->python : NULL;
	spec->start_method = req->start_method[0] != '\0' ? req->start_method : NULL;
	run_request_nice(req, spec);
}

/* One point of a sweep: the spec of backend at `workers` workers. */
void run_request_sweep_spec(const struct run_request *req, enum backend_kind backend, int workers,
                            struct run_spec *spec)
{
	run_request_spec(req, backend, spec);
	if (backend_get(backend)->serial)
		return;
	spec->workers = workers;
	if (!req->chunksize_given)
		spec->chunksize = engine_default_chunksize(req->n_items, workers);
	run_request_nice(req, spec);
}
