/*
 * fuzz_cmdline.c — libFuzzer harness for the command line a user types at
 * the prompt: word splitting, then option and ITEMS parsing for run,
 * compare and process. Every input must parse or be refused with a message.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/cmd.h"

/* One input: a typed line, split into words and parsed as each command. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *line = malloc(size + 1);
	if (line == NULL)
		return 0;
	memcpy(line, data, size);
	line[size] = '\0';
	char err[ENGINE_ERRLEN];
	int argc = 0;
	char **argv = NULL;
	if (cmd_split(line, &argc, &argv, err, sizeof err) == 0) {
		static const enum run_kind kinds[] = {RUNKIND_RUN, RUNKIND_COMPARE,
		                                      RUNKIND_PROCESS};
		for (size_t k = 0; k < sizeof kinds / sizeof kinds[0]; k++) {
			struct run_request req;
			memset(&req, 0, sizeof req);
			err[0] = '\0';
			if (cmd_parse_request(kinds[k], argc, argv, &req, err, sizeof err) != 0 &&
			    err[0] == '\0')
				abort(); /* a refusal must say why */
			run_request_free(&req);
		}
		cmd_find(argc > 0 ? argv[0] : "", CMD_EVERYWHERE);
		cmd_split_free(argc, argv);
	} else if (err[0] == '\0') {
		abort();
	}
	free(line);
	return 0;
}
