/*
 * test_glossary.c — lessons/glossary.md parsed with cmark: `**word**: text`
 * paragraphs in order, prose around them ignored, malformed ones named at
 * their line; lookups forgiving case, hyphens and plurals; close matches of
 * a typo; and the course's own glossary holding the words the lessons use.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h> /* after what it needs: a block of its own, so sorting keeps it last */

#include "lesson/glossary.h"

static const char good[] = "# Glossary\n"
                           "\n"
                           "Some prose, not a word.\n"
                           "\n"
                           "**hand-off**: One passing of the GIL,\n"
                           "from one thread to another.\n"
                           "\n"
                           "**GIL**: The *global* interpreter lock.\n"
                           "\n"
                           "**process**: A running program.\n";

/* Definitions in order, soft breaks joined, emphasis as plain text. */
static void test_parse(void **state)
{
	struct glossary g;
	char err[256] = "";
	(void)state;
	assert_int_equal(glossary_parse("g.md", good, strlen(good), &g, err, sizeof err), 0);
	assert_int_equal(g.n, 3);
	assert_string_equal(g.entries[0].word, "hand-off");
	assert_string_equal(g.entries[0].text,
	                    "One passing of the GIL, from one thread to another.");
	assert_int_equal(g.entries[0].line, 5);
	assert_string_equal(g.entries[1].text, "The global interpreter lock.");
	glossary_free(&g);
}

/* Lookups and close matches. */
static void test_find(void **state)
{
	struct glossary g;
	char err[256];
	const struct glossary_entry *near[4];
	(void)state;
	assert_int_equal(glossary_parse("g.md", good, strlen(good), &g, err, sizeof err), 0);
	assert_string_equal(glossary_find(&g, "gil")->word, "GIL");
	assert_string_equal(glossary_find(&g, "Handoff")->word, "hand-off");
	assert_string_equal(glossary_find(&g, "hand-offs")->word, "hand-off");
	assert_string_equal(glossary_find(&g, "processes")->word, "process");
	assert_null(glossary_find(&g, "thread"));
	assert_int_equal(glossary_close(&g, "proces", near, 4), 1);
	assert_string_equal(near[0]->word, "process");
	assert_int_equal(glossary_close(&g, "zzzzzz", near, 4), 0);
	glossary_free(&g);
}

/* Malformed definitions are named at their line. */
static void test_bad(void **state)
{
	struct glossary g;
	char err[256];
	(void)state;
	const char *nocolon = "**word** no colon here\n";
	assert_int_equal(glossary_parse("g.md", nocolon, strlen(nocolon), &g, err, sizeof err), -1);
	assert_string_equal(err, "g.md:1: a definition is '**word**: text'");
	const char *twice = "**a**: one\n\n**A**: two\n";
	assert_int_equal(glossary_parse("g.md", twice, strlen(twice), &g, err, sizeof err), -1);
	assert_string_equal(err, "g.md:3: 'A' is defined twice");
	const char *none = "# Nothing\n\nprose\n";
	assert_int_equal(glossary_parse("g.md", none, strlen(none), &g, err, sizeof err), -1);
	assert_non_null(strstr(err, "no definitions"));
}

/* The course's glossary loads and has the words the brief of the course names. */
static void test_course_glossary(void **state)
{
	struct glossary g;
	char err[256];
	(void)state;
	assert_int_equal(glossary_load("lessons", &g, err, sizeof err), 0);
	const char *words[] = {"process",   "thread",      "GIL",           "pool",
	                       "chunksize", "hand-off",    "pickling",      "start method",
	                       "fork",      "spawn",       "forkserver",    "zombie",
	                       "speedup",   "efficiency",  "Amdahl",        "serial fraction",
	                       "busy",      "parallelism", "free-threaded", "subinterpreter",
	                       "race",      "lock"};
	for (size_t i = 0; i < sizeof words / sizeof *words; i++) {
		if (!glossary_find(&g, words[i]))
			fail_msg("the glossary has no '%s'", words[i]);
	}
	glossary_free(&g);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_parse),
	    cmocka_unit_test(test_find),
	    cmocka_unit_test(test_bad),
	    cmocka_unit_test(test_course_glossary),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
