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
}

/* Fill an engine spec for one backend from a request (items are borrowed). */
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
}
