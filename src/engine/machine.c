/*
 * machine.c — the machine a run ran on and the load other work put on it
 * meanwhile (machine.h says how and how well it is measured).
 */
#include "engine/machine.h"
#include "engine/clock.h"
#include "engine/engine.h"
#include "engine/procstat.h"

#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/utsname.h>
#include <unistd.h>

/* Read a small /proc file whole into buf; its length, or -1. */
static long machine_slurp(const char *path, char *buf, size_t len)
{
	FILE *f = fopen(path, "r");
	size_t n;

	if (!f)
		return -1;
	n = fread(buf, 1, len - 1, f);
	fclose(f);
	buf[n] = '\0';
	return (long)n;
}

void machine_parse_cpuinfo(const char *text, char *buf, size_t len)
{
	const char *p = text;

	snprintf(buf, len, "unknown");
	while (p && *p) {
		const char *eol = strchr(p, '\n');
		size_t n = eol ? (size_t)(eol - p) : strlen(p);

		if (n > 10 && strncmp(p, "model name", 10) == 0) {
			const char *colon = memchr(p, ':', n);
			if (colon) {
				const char *v = colon + 1;
				while (v < p + n && (*v == ' ' || *v == '\t'))
					v++;
				snprintf(buf, len, "%.*s", (int)(p + n - v), v);
				return;
			}
		}
		p = eol ? eol + 1 : NULL;
	}
}

void machine_info_read(struct machine_info *info)
{
	static char text[65536];
	struct utsname u;
	long n = sysconf(_SC_NPROCESSORS_ONLN);

	memset(info, 0, sizeof *info);
	info->cpus_online = n > 0 ? (int)n : 1;
	info->cpus_usable = engine_default_workers();
	if (machine_slurp("/proc/cpuinfo", text, sizeof text) >= 0)
		machine_parse_cpuinfo(text, info->cpu_model, sizeof info->cpu_model);
	else
		snprintf(info->cpu_model, sizeof info->cpu_model, "unknown");
	if (uname(&u) == 0)
		snprintf(info->kernel, sizeof info->kernel, "%s %s %s", u.sysname, u.release,
		         u.machine);
	else
		snprintf(info->kernel, sizeof info->kernel, "unknown");
}

int machine_parse_stat(const char *text, struct machine_load_mark *mark)
{
	struct procstat_cpu c;
	const char *eol = strchr(text, '\n');
	char line[512];
	size_t n = eol ? (size_t)(eol - text) : strlen(text);

	if (n >= sizeof line)
		return -1;
	memcpy(line, text, n);
	line[n] = '\0';
	if (procstat_parse_cpu(line, &c) < 0 || c.cpu != -1)
		return -1;
	mark->steal_ticks = c.steal;
	mark->busy_ticks = c.user + c.nice + c.system + c.irq + c.softirq + c.steal;
	mark->total_ticks = mark->busy_ticks + c.idle + c.iowait;
	return 0;
}

/* Our own CPU and that of every child we reaped, in ns. */
static int64_t machine_self_ns(void)
{
	struct rusage s, c;
	int64_t ns = 0;

	if (getrusage(RUSAGE_SELF, &s) == 0)
		ns += (int64_t)(s.ru_utime.tv_sec + s.ru_stime.tv_sec) * 1000000000LL +
		      (int64_t)(s.ru_utime.tv_usec + s.ru_stime.tv_usec) * 1000LL;
	if (getrusage(RUSAGE_CHILDREN, &c) == 0)
		ns += (int64_t)(c.ru_utime.tv_sec + c.ru_stime.tv_sec) * 1000000000LL +
		      (int64_t)(c.ru_utime.tv_usec + c.ru_stime.tv_usec) * 1000LL;
	return ns;
}

void machine_load_begin(struct machine_load_mark *mark)
{
	char text[4096];
	long n = sysconf(_SC_NPROCESSORS_ONLN);

	memset(mark, 0, sizeof *mark);
	mark->cpus = n > 0 ? (int)n : 1;
	mark->t_ns = engine_now_ns();
	mark->self_ns = machine_self_ns();
	mark->ok = machine_slurp("/proc/stat", text, sizeof text) >= 0 &&
	           machine_parse_stat(text, mark) == 0;
}

void machine_load_between(const struct machine_load_mark *a, const struct machine_load_mark *b,
                          long ticks_per_s, struct machine_load *out)
{
	memset(out, 0, sizeof *out);
	if (!a->ok || !b->ok || ticks_per_s <= 0 || b->busy_ticks < a->busy_ticks ||
	    b->steal_ticks < a->steal_ticks)
		return;
	out->span_s = (double)(b->t_ns - a->t_ns) / 1e9;
	double busy_s = (double)(b->busy_ticks - a->busy_ticks) / (double)ticks_per_s;
	double self_s = (double)(b->self_ns - a->self_ns) / 1e9;
	out->steal_s = (double)(b->steal_ticks - a->steal_ticks) / (double)ticks_per_s;
	out->others_s = busy_s - self_s;
	if (out->others_s < out->steal_s)
		out->others_s = out->steal_s; /* our own CPU is counted more finely than ticks */
	if (out->others_s < 0)
		out->others_s = 0;
	int cpus = b->cpus > 0 ? b->cpus : 1;
	out->cpus = cpus;
	if (out->span_s > 0)
		out->busy = out->others_s / ((double)cpus * out->span_s);
	if (out->busy > 1)
		out->busy = 1;
	out->valid = out->span_s >= MACHINE_BUSY_MIN_S;
}

void machine_load_end(const struct machine_load_mark *begin, struct machine_load *out)
{
	struct machine_load_mark end;

	machine_load_begin(&end);
	machine_load_between(begin, &end, sysconf(_SC_CLK_TCK), out);
}

void machine_load_sum(const struct machine_load *const *loads, size_t n, struct machine_load *out)
{
	double cpu_span = 0;

	memset(out, 0, sizeof *out);
	for (size_t i = 0; i < n; i++) {
		const struct machine_load *l = loads[i];
		if (!l || l->span_s <= 0 || l->cpus <= 0)
			continue; /* no readings for this one */
		out->span_s += l->span_s;
		out->others_s += l->others_s;
		out->steal_s += l->steal_s;
		cpu_span += l->cpus * l->span_s;
		if (l->cpus > out->cpus)
			out->cpus = l->cpus;
	}
	if (cpu_span > 0)
		out->busy = out->others_s / cpu_span;
	if (out->busy > 1)
		out->busy = 1;
	out->valid = out->span_s >= MACHINE_BUSY_MIN_S;
}

void machine_load_speedup(const struct machine_load *run, const struct machine_load *base,
                          struct machine_load *out)
{
	const struct machine_load *pair[] = {run, base};

	if (!base || base == run) {
		*out = *run;
		return;
	}
	machine_load_sum(pair, 2, out);
	for (int i = 0; i < 2; i++)
		if (pair[i]->valid && (!out->valid || pair[i]->busy > out->busy))
			*out = *pair[i];
}

bool machine_load_spoils(const struct machine_load *load)
{
	return load->valid && load->busy >= MACHINE_BUSY_WARN;
}

const char *machine_load_note(const struct machine_load *load, char *buf, size_t len)
{
	if (len)
		buf[0] = '\0';
	if (!machine_load_spoils(load))
		return buf;
	snprintf(buf, len, "the machine was %.0f%% busy with other work%s: speedups are low",
	         100 * load->busy,
	         load->steal_s > 0.5 * load->others_s ? " (stolen by the hypervisor)" : "");
	return buf;
}
