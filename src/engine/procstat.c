/*
 * procstat.c — parsing /proc text. The comm field of a stat line is the
 * program name in parentheses and may itself hold spaces and ')', so the
 * fields after it are found from the last ')' (as htop's readStatFile does).
 */
#include "engine/procstat.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Parse a stat line of len bytes; -1 if it is malformed. */
int procstat_parse(const char *line, size_t len, struct procstat *out)
{
	char buf[1024];
	const char *open, *close;
	char *p, *end;
	size_t n;

	if (!line || len == 0)
		return -1;
	if (len >= sizeof(buf))
		len = sizeof(buf) - 1;
	memcpy(buf, line, len);
	buf[len] = '\0';
	memset(out, 0, sizeof(*out));
	open = strchr(buf, '(');
	close = strrchr(buf, ')');
	if (!open || !close || close < open)
		return -1;
	errno = 0;
	out->pid = (pid_t)strtol(buf, &end, 10);
	if (end == buf || errno)
		return -1;
	n = (size_t)(close - open - 1);
	if (n >= sizeof(out->comm))
		n = sizeof(out->comm) - 1;
	memcpy(out->comm, open + 1, n);
	out->comm[n] = '\0';
	p = (char *)close + 1;
	/* fields 3.. are separated by single spaces */
	for (int field = 3; field <= 39; field++) {
		while (*p == ' ')
			p++;
		if (*p == '\0' || *p == '\n')
			return -1;
		if (field == 3) {
			out->state = *p;
			p++;
		} else {
			unsigned long long v;

			errno = 0;
			v = strtoull(p, &end, 10);
			if (end == p) {
				if (*p != '-')
					return -1;
				strtoll(p, &end, 10); /* negative fields (priority, nice) */
				if (end == p)
					return -1;
			}
			if (field == 14)
				out->utime = v;
			else if (field == 15)
				out->stime = v;
			else if (field == 39)
				out->processor = (int)v;
			p = end;
		}
		if (*p != ' ' && *p != '\0' && *p != '\n')
			return -1;
	}
	return 0;
}

/* Parse one cpu line of /proc/stat; -1 if it is not one. */
int procstat_parse_cpu(const char *line, struct procstat_cpu *out)
{
	int used = 0;

	if (!line || strncmp(line, "cpu", 3) != 0)
		return -1;
	memset(out, 0, sizeof(*out));
	if (line[3] == ' ') {
		out->cpu = -1;
		line += 3;
	} else if (line[3] >= '0' && line[3] <= '9') {
		char *end;

		out->cpu = (int)strtol(line + 3, &end, 10);
		line = end;
	} else {
		return -1;
	}
	if (sscanf(line, " %llu %llu %llu %llu %llu %llu %llu %llu%n", &out->user, &out->nice,
	           &out->system, &out->idle, &out->iowait, &out->irq, &out->softirq, &out->steal,
	           &used) < 4)
		return -1;
	return 0;
}

/* Open /proc/<pid>/task/<tid>/stat to be read again and again. */
int procstat_open(pid_t pid, pid_t tid)
{
	char path[64];

	snprintf(path, sizeof(path), "/proc/%d/task/%d/stat", (int)pid, (int)tid);
	return open(path, O_RDONLY | O_CLOEXEC);
}

/* Read a stat file from its start (the kernel writes it anew) and parse it. */
int procstat_pread(int fd, struct procstat *out)
{
	char buf[1024];
	ssize_t n;

	do
		n = pread(fd, buf, sizeof(buf), 0);
	while (n < 0 && errno == EINTR);
	if (n <= 0)
		return -1;
	return procstat_parse(buf, (size_t)n, out);
}

/* Read and parse /proc/<pid>/task/<tid>/stat. */
int procstat_read(pid_t pid, pid_t tid, struct procstat *out)
{
	int fd = procstat_open(pid, tid), rc;

	if (fd < 0)
		return -1;
	rc = procstat_pread(fd, out);
	close(fd);
	return rc;
}
