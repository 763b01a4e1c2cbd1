/*
 * fuzz_recording.c — libFuzzer harness for the recording loader: any bytes
 * given as a recording file are loaded or refused with a message; a loaded
 * one is reported in every text format and replayed at several moments, as
 * `mptutor replay FILE` would, and freed: never a crash, a leak or a hang.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "export/format.h"
#include "export/recording.h"
#include "session/session.h"

/* Every report of a loaded recording into /dev/null, and its replays. */
static void fuzz_use(struct recording *rec, FILE *null)
{
	static const char *const formats[] = {"text", "json", "csv", "chrome"};
	char err[512];
	struct session *ss;
	if (session_from_recording(&rec->req, rec->runs, rec->n_runs,
	                           rec->has_demo ? &rec->demo : NULL, rec->sweep_cpus, &ss, err,
	                           sizeof err) != 0)
		return;
	size_t n = session_n_rows(ss);
	const struct run_snapshot **ptrs = calloc(n ? n : 1, sizeof *ptrs);
	if (ptrs == NULL)
		abort();
	for (size_t i = 0; i < n; i++)
		ptrs[i] = session_row_snap(ss, i);
	struct run_request req = *session_request(ss);
	req.output = NULL;
	for (size_t f = 0; f < sizeof formats / sizeof *formats; f++) {
		req.format = export_format_find(formats[f]);
		if (req.kind == RUNKIND_PROCESS)
			export_process(&req, null, session_demo_snap(ss), NULL, err, sizeof err);
		else if (req.kind == RUNKIND_SWEEP)
			export_sweep(&req, null, session_sweep(ss), ptrs, n, err, sizeof err);
		else if (req.kind == RUNKIND_COMPARE)
			export_compare(&req, null, ptrs, n, err, sizeof err);
		else
			export_run(&req, null, ptrs[0], NULL, err, sizeof err);
	}
	double span = session_span(ss);
	for (int k = 0; k <= 4; k++) {
		for (size_t i = 0; i < n; i++)
			session_row_at(ss, i, span * k / 4);
		struct proc_demo_snap d;
		session_demo_at(ss, span * k / 4, &d);
		struct sweep_report sw;
		int going;
		if (session_sweep_at(ss, span * k / 4, &sw, &going) == 0)
			sweep_report_free(&sw);
	}
	free(ptrs);
	session_free(ss);
}

/* One input: parsed as a recording file. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static FILE *null;
	struct recording rec;
	char err[512];
	if (null == NULL && (null = fopen("/dev/null", "w")) == NULL)
		abort();
	if (recording_parse((const char *)data, size, &rec, err, sizeof err) != 0) {
		if (err[0] == '\0')
			abort(); /* a refusal says what is wrong */
		return 0;
	}
	fuzz_use(&rec, null);
	recording_free(&rec);
	return 0;
}
