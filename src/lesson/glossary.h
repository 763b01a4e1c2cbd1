/*
 * glossary.h — the words of the course, from lessons/glossary.md: a
 * CommonMark file whose definitions are paragraphs `**word**: text`, parsed
 * with cmark. Looked up without regard to case, spaces or hyphens; a word not
 * found gives its close matches.
 */
#ifndef MPTUTOR_LESSON_GLOSSARY_H
#define MPTUTOR_LESSON_GLOSSARY_H

#include <stddef.h>

/* One word and its definition. */
struct glossary_entry {
	char *word; /* "hand-off" */
	char *text; /* its definition, plain text on one line */
	int line;   /* where it is in the file */
};

/* The glossary. */
struct glossary {
	struct glossary_entry *entries; /* in the file's order */
	size_t n;
};

/* Parse a glossary's text: 0, or -1 with a message naming path:line. */
int glossary_parse(const char *path, const char *text, size_t len, struct glossary *g, char *err,
                   size_t errlen);
/* Load dir/glossary.md: 0, or -1 with a message. */
int glossary_load(const char *dir, struct glossary *g, char *err, size_t errlen);
void glossary_free(struct glossary *g);
/* The entry for word (case, spaces, hyphens and a plural s aside), or NULL. */
const struct glossary_entry *glossary_find(const struct glossary *g, const char *word);
/* Up to max entries close to word (a few typos, or containing it), into
 * out; returns how many. */
size_t glossary_close(const struct glossary *g, const char *word, const struct glossary_entry **out,
                      size_t max);

#endif
