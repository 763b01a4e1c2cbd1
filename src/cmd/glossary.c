/*
 * glossary.c — the `glossary [WORD]` command: every word of the course with
 * its definition, or one word's; a word not in lessons/glossary.md exits 2
 * with its close matches.
 */
#include <stdio.h>
#include <string.h>

#include "cmd/cmd.h"
#include "cmd/lessons.h"
#include "lesson/glossary.h"
#include "lesson/lesson.h"

#define GLOSSARY_WRAP 76 /* columns a definition is wrapped to */

/* One entry: the word, then its text wrapped and indented. */
static void glossary_print(FILE *out, const struct glossary_entry *e)
{
	fprintf(out, "%s\n", e->word);
	const char *p = e->text;
	while (*p) {
		int col = 2;
		fputs("  ", out);
		while (*p) {
			size_t w = strcspn(p, " ");
			char word[256];
			snprintf(word, sizeof word, "%.*s", (int)(w < 255 ? w : 255), p);
			int ww = lesson_text_width(word);
			if (col > 2 && col + 1 + ww > GLOSSARY_WRAP)
				break;
			if (col > 2) {
				fputc(' ', out);
				col++;
			}
			fwrite(p, 1, w, out);
			col += ww;
			p += w;
			while (*p == ' ')
				p++;
		}
		fputc('\n', out);
	}
}

int cmd_exec_glossary(struct cmd_env *env, int argc, char **argv)
{
	const char *pre = env->where == CMD_IN_CLI ? "mptutor: " : "";
	struct glossary g;
	char err[512];
	if (argc > 2) {
		fprintf(env->err,
		        "%sglossary takes one WORD at most (quote a phrase: 'start method')\n",
		        pre);
		return CMD_USAGE;
	}
	const char *dir = lesson_dir_find();
	if (!dir) {
		fprintf(env->err,
		        "%sglossary: no lesson directory (looked at $MPTUTOR_LESSONS, ./lessons "
		        "and %s)\n",
		        pre, MPTUTOR_DATADIR "/lessons");
		return CMD_USAGE;
	}
	if (glossary_load(dir, &g, err, sizeof err) < 0) {
		fprintf(env->err, "%sglossary: %s\n", pre, err);
		return CMD_USAGE;
	}
	int rc = CMD_OK;
	if (argc < 2) {
		for (size_t i = 0; i < g.n; i++)
			glossary_print(env->out, &g.entries[i]);
	} else {
		const struct glossary_entry *e = glossary_find(&g, argv[1]);
		if (e) {
			glossary_print(env->out, e);
		} else {
			const struct glossary_entry *near[8];
			size_t n = glossary_close(&g, argv[1], near, 8);
			fprintf(env->err, "%sglossary: no word '%s'", pre, argv[1]);
			for (size_t i = 0; i < n; i++)
				fprintf(env->err, "%s%s", i ? ", " : "; close: ", near[i]->word);
			fprintf(env->err, "%s\n", n ? "" : "; 'glossary' alone lists every word");
			rc = CMD_USAGE;
		}
	}
	glossary_free(&g);
	return rc;
}
