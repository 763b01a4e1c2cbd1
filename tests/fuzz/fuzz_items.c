/*
 * fuzz_items.c — libFuzzer harness for ITEMS parsing: any byte string given
 * as ITEMS must yield either a list of items or a one-line message, never a
 * crash, a leak or an unbounded allocation.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/cmd.h"

/* One input: the bytes as a C string, parsed as ITEMS. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1);
	if (text == NULL)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	int64_t *items = NULL;
	size_t n = 0;
	char err[ENGINE_ERRLEN];
	if (items_parse(text, &items, &n, err, sizeof err) == 0) {
		if (n > ENGINE_MAX_ITEMS)
			abort(); /* the limit must hold */
		free(items);
	} else if (err[0] == '\0') {
		abort(); /* a refusal must say why */
	}
	free(text);
	return 0;
}
