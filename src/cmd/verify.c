/*
 * verify.c — `lessons --verify [N] [--runs K]`: every runnable block of every
 * lesson (or of lesson N) run K times (default VERIFY_RUNS) headless through
 * the session layer, each `expect:` claim measured on every run
 * (cmd/figures.c), and a report lesson by lesson: each block, each claim held
 * k/K with the values measured, and how long a run took. What a teacher runs
 * before class. Also the check of the expects against their block's command
 * (`lessons --check`).
 */
#include <poll.h>
#include <stdio.h>
#include <string.h>

#include "cmd/cmd.h"
#include "cmd/figures.h"
#include "cmd/lessons.h"
#include "engine/clock.h"
#include "engine/machine.h"
#include "session/session.h"

/* A block's command parsed: its kind and request, if it is a run, compare
 * or process (1); 0 for another command; -1 if it does not parse. */
static int verify_parse(const char *cmdline, struct run_request *req, char *err, size_t errlen)
{
	int argc = 0, rc = 0;
	char **argv = NULL;
	memset(req, 0, sizeof *req);
	if (cmd_split(cmdline, &argc, &argv, err, errlen) < 0)
		return -1;
	if (argc > 0 && (!strcmp(argv[0], "run") || !strcmp(argv[0], "compare") ||
	                 !strcmp(argv[0], "process") || !strcmp(argv[0], "sweep"))) {
		enum run_kind kind = argv[0][0] == 'r'   ? RUNKIND_RUN
		                     : argv[0][0] == 'c' ? RUNKIND_COMPARE
		                     : argv[0][0] == 's' ? RUNKIND_SWEEP
		                                         : RUNKIND_PROCESS;
		rc = cmd_parse_request(kind, argc - 1, argv + 1, req, err, errlen) < 0 ? -1 : 1;
	}
	cmd_split_free(argc, argv);
	return rc;
}

void lessons_check_expects(struct course *c)
{
	char err[768];
	for (size_t i = 0; i < c->n_lessons; i++) {
		const struct lesson *l = &c->lessons[i];
		for (size_t p = 0; p < l->n_pages; p++)
			for (size_t b = 0; b < l->pages[p].n_blocks; b++) {
				const struct lesson_block *blk = &l->pages[p].blocks[b];
				if (blk->kind != LBLOCK_RUN || blk->n_expects == 0)
					continue;
				struct run_request req;
				int k = verify_parse(blk->text, &req, err, sizeof err);
				for (size_t e = 0; k >= 0 && e < blk->n_expects; e++) {
					if (k == 0)
						course_diag_add(c, l->path, blk->expects[e].line,
						                "expect: '%s' makes no report to "
						                "measure (only run, compare and "
						                "process do)",
						                blk->text);
					else if (figure_check(&blk->expects[e], req.kind,
					                      req.backends, req.n_backends, err,
					                      sizeof err) < 0)
						course_diag_add(c, l->path, blk->expects[e].line,
						                "%s", err);
				}
				run_request_free(&req);
			}
	}
	course_diags_sort(c);
}

/* A value as the report prints it: whole numbers without decimals. */
static void verify_value(char *buf, size_t len, double v, const char *unit)
{
	if (v == (double)(long long)v && v > -1e15 && v < 1e15)
		snprintf(buf, len, "%lld%s", (long long)v, unit);
	else
		snprintf(buf, len, "%.3g%s", v, unit);
}

/* What one block's runs gave. */
struct verify_block {
	int ran;                   /* runs that finished */
	char error[ENGINE_ERRLEN]; /* why a run did not, "" if all did */
	int held[64];              /* per expect: runs it held on */
	int spoiled[64];           /* per expect: runs it failed while the machine was busy */
	char values[64][VERIFY_MAX_RUNS][48]; /* per expect and run: what was measured */
	double busy[VERIFY_MAX_RUNS];         /* per run: the most other work took of the machine */
};

/* The most of the machine other work took during any map of ss, or -1 if no
 * map could be judged (too short) or none was spoiled (machine.h decides). */
static double verify_busy(const struct session *ss)
{
	double most = -1;
	for (size_t i = 0; i < session_n_rows(ss); i++) {
		const struct run_snapshot *snap = session_row_snap(ss, i);
		if (snap && machine_load_spoils(&snap->machine) && snap->machine.busy > most)
			most = snap->machine.busy;
	}
	return most;
}

/* Run one block runs times and measure its claims into *vb. Returns
 * CMD_INTERRUPTED on a stop request, else CMD_OK. */
static int verify_block_run(struct cmd_env *env, const struct lesson_block *blk, int runs,
                            struct verify_block *vb)
{
	struct run_request req;
	char err[ENGINE_ERRLEN];
	memset(vb, 0, sizeof *vb);
	for (int r = 0; r < runs; r++)
		vb->busy[r] = -1;
	int k = verify_parse(blk->text, &req, err, sizeof err);
	if (k < 0) {
		snprintf(vb->error, sizeof vb->error, "%s", err);
		return CMD_OK;
	}
	for (int r = 0; r < runs; r++) {
		if (k == 0) { /* another command: it must run without error */
			const char *name = blk->text;
			char word[32];
			sscanf(name, "%31s", word);
			if (!cmd_find(word, CMD_IN_CLI)) { /* a tutor command: nothing to run */
				vb->ran++;
				continue;
			}
			FILE *null = fopen("/dev/null", "w");
			struct cmd_env e2 = *env;
			e2.out = null ? null : env->out;
			int rc = cmd_exec_line(&e2, blk->text);
			if (null)
				fclose(null);
			if (rc == CMD_INTERRUPTED)
				return rc;
			if (rc != CMD_OK)
				snprintf(vb->error, sizeof vb->error, "exit status %d", rc);
			else
				vb->ran++;
			continue;
		}
		struct session *ss;
		if (session_start(&req, NULL, &ss, err, sizeof err) != 0) {
			snprintf(vb->error, sizeof vb->error, "%s", err);
			break;
		}
		enum session_state st = session_wait(ss, env->intr_fd);
		if (st == SESSION_CANCELLED) {
			session_free(ss);
			run_request_free(&req);
			return CMD_INTERRUPTED;
		}
		if (st == SESSION_FAILED) {
			snprintf(vb->error, sizeof vb->error, "%s", session_error(ss));
			session_free(ss);
			break;
		}
		vb->ran++;
		vb->busy[r] = verify_busy(ss);
		for (size_t e = 0; e < blk->n_expects && e < 64; e++) {
			double v;
			const struct lesson_expect *x = &blk->expects[e];
			if (figure_measure(x, ss, &v, err, sizeof err) < 0) {
				snprintf(vb->values[e][r], sizeof vb->values[e][r], "n/a");
				continue;
			}
			const struct figure *f = figure_find(x->figure);
			verify_value(vb->values[e][r], sizeof vb->values[e][r], v, f->unit);
			bool held = expect_holds(x, v);
			vb->held[e] += held;
			vb->spoiled[e] += !held && vb->busy[r] >= 0;
		}
		session_free(ss);
	}
	run_request_free(&req);
	return CMD_OK;
}

/* Verify one lesson: print each block and claim; add to the totals. */
static int verify_lesson(struct cmd_env *env, const struct lesson *l, int runs, int *blocks,
                         int *claims, int *bad, int *spoiled)
{
	int lb = 0, lc = 0, lbad = 0, lspoiled = 0;
	fprintf(env->out, "lesson %d  %s  (%s)\n", l->number, l->title, l->path);
	for (size_t p = 0; p < l->n_pages; p++)
		for (size_t b = 0; b < l->pages[p].n_blocks; b++) {
			const struct lesson_block *blk = &l->pages[p].blocks[b];
			struct verify_block vb;
			if (blk->kind != LBLOCK_RUN)
				continue;
			fprintf(env->out, "  line %d, page %zu: %s\n", blk->line, p + 1, blk->text);
			fflush(env->out);
			int64_t t0 = engine_now_ns();
			if (verify_block_run(env, blk, runs, &vb) == CMD_INTERRUPTED)
				return CMD_INTERRUPTED;
			/* what a class waits when the block runs (start-up included) */
			double took = (double)(engine_now_ns() - t0) / 1e9 / runs;
			lb++;
			bool ok_runs = vb.ran == runs && !vb.error[0];
			if (!ok_runs) {
				lbad++;
				fprintf(env->out, "    FAILED  ran %d/%d: %s\n", vb.ran, runs,
				        vb.error[0] ? vb.error : "did not finish");
			} else if (blk->n_expects == 0) {
				fprintf(env->out, "    ran %d/%d (no claims)\n", vb.ran, runs);
			}
			for (size_t e = 0; e < blk->n_expects && e < 64; e++) {
				const struct lesson_expect *x = &blk->expects[e];
				bool all = vb.held[e] == runs;
				/* a run the machine's other work spoiled proves nothing
				 * either way: reported, not counted against the claim */
				bool excused = !all && vb.held[e] + vb.spoiled[e] == runs;
				lc++;
				lbad += !all && !excused;
				lspoiled += excused;
				fprintf(env->out, "    %-8s %d/%d  %-28s measured",
				        all       ? "held"
				        : excused ? "SPOILED"
				                  : "NOT HELD",
				        vb.held[e], runs, x->text);
				for (int r = 0; r < runs; r++)
					fprintf(env->out, "%s %s", r ? "," : "",
					        vb.values[e][r][0] ? vb.values[e][r] : "-");
				if (x->reason)
					fprintf(env->out, "   # %s", x->reason);
				fputc('\n', env->out);
				if (vb.spoiled[e]) {
					double most = 0;
					for (int r = 0; r < runs; r++)
						most = vb.busy[r] > most ? vb.busy[r] : most;
					fprintf(
					    env->out,
					    "             %d run%s failed while the machine was up "
					    "to %.0f%% busy with other work: not judged\n",
					    vb.spoiled[e], vb.spoiled[e] == 1 ? "" : "s",
					    100 * most);
				}
			}
			fprintf(env->out, "    took %.2f s a run\n", took);
		}
	fprintf(env->out, "lesson %d: %d block%s, %d claim%s: %s\n\n", l->number, lb,
	        lb == 1 ? "" : "s", lc, lc == 1 ? "" : "s",
	        lbad       ? "SOME DID NOT HOLD"
	        : lspoiled ? "all held where not spoiled"
	                   : "all held");
	*spoiled += lspoiled;
	*blocks += lb;
	*claims += lc;
	*bad += lbad;
	return CMD_OK;
}

int lessons_verify(struct cmd_env *env, struct course *c, const char *which, int runs)
{
	int blocks = 0, claims = 0, bad = 0, lessons = 0, spoiled = 0;
	int only = -1;
	if (which) {
		only = course_find(c, which);
		if (only < 0) {
			fprintf(env->err,
			        "lessons --verify %s: no such lesson (allowed: 1-%zu, or a name as "
			        "'mptutor lessons' lists)\n",
			        which, c->n_lessons);
			return CMD_USAGE;
		}
	}
	lessons_check_expects(c);
	if (c->n_diags) {
		for (size_t i = 0; i < c->n_diags; i++)
			fprintf(env->err, "%s:%d: %s\n", c->diags[i].file, c->diags[i].line,
			        c->diags[i].message);
		fprintf(env->err,
		        "lessons --verify: fix the %zu problem%s first ('lessons --check')\n",
		        c->n_diags, c->n_diags == 1 ? "" : "s");
		return CMD_USAGE;
	}
	for (size_t i = 0; i < c->n_lessons; i++) {
		if (only >= 0 && (int)i != only)
			continue;
		lessons++;
		if (verify_lesson(env, &c->lessons[i], runs, &blocks, &claims, &bad, &spoiled) ==
		    CMD_INTERRUPTED)
			return CMD_INTERRUPTED;
	}
	fprintf(env->out, "verify: %d lesson%s, %d block%s run %d time%s, %d claim%s: %s\n",
	        lessons, lessons == 1 ? "" : "s", blocks, blocks == 1 ? "" : "s", runs,
	        runs == 1 ? "" : "s", claims, claims == 1 ? "" : "s",
	        bad       ? "some did not hold or did not run (see NOT HELD, FAILED)"
	        : spoiled ? "every claim held on every run the machine's other work did not "
	                    "spoil (see SPOILED)"
	                  : "every claim held on every run");
	return bad ? CMD_FAILED : CMD_OK;
}
