/*
 * fuzz_lesson.c — libFuzzer harness for lesson loading: any bytes given as a
 * lesson file must load (as far as they go) with diagnostics, render at any
 * width within that width and without control characters, and free cleanly:
 * never a crash, a leak or a hang.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/lessons.h"
#include "lesson/lesson.h"

/* One input: the bytes as lesson 01-fuzz.md; every page rendered at two widths. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct course c;
	static const int widths[] = {9, 37, 80};

	memset(&c, 0, sizeof c);
	lesson_parse("01-fuzz.md", (const char *)data, size, cmd_lesson_block_check, &c);
	if (c.n_lessons != 1)
		abort(); /* a bad file is still a lesson, loaded as far as it goes */
	for (size_t i = 0; i < c.n_diags; i++)
		if (!c.diags[i].message[0])
			abort(); /* a diagnostic says what is wrong */
	const struct lesson *l = &c.lessons[0];
	for (size_t p = 0; p < l->n_pages; p++) {
		for (size_t w = 0; w < sizeof widths / sizeof *widths; w++) {
			struct lrender r;
			if (lesson_render_page(&l->pages[p], widths[w], &r) != 0)
				abort();
			for (size_t i = 0; i < r.n_lines; i++) {
				char *t = lline_text(&r.lines[i]);
				if (lesson_text_width(t) > widths[w])
					abort(); /* the wrap width holds */
				for (const unsigned char *q = (const unsigned char *)t; *q; q++)
					if (*q < 0x20 || *q == 0x7f)
						abort(); /* no control characters reach a terminal
						          */
				free(t);
				if (r.lines[i].block >= (int)l->pages[p].n_blocks)
					abort();
			}
			lrender_free(&r);
		}
		for (size_t b = 0; b < l->pages[p].n_blocks; b++) {
			const struct lesson_block *blk = &l->pages[p].blocks[b];
			if (blk->kind == LBLOCK_QUIZ)
				quiz_check(blk->quiz, "b");
			if (blk->kind == LBLOCK_RUN)
				lesson_page_predict_for(&l->pages[p], b);
		}
	}
	course_free(&c);
	return 0;
}
