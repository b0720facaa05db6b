/* fuzz_script.c - the experiment-script parser on arbitrary text; every
 * script it accepts must also accept each of its sweep points, and every
 * rejection must come with a one-line "file:..." message. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "script.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct sc_experiment e, p;
	char err[512];
	char *text = malloc(size ? size : 1);

	if (!text)
		return 0;
	memcpy(text, data, size);
	err[0] = '\0';
	if (sc_script_parse(text, size, "fuzz.exp", &e, err, sizeof(err)) == 0) {
		for (size_t i = 0; i < sc_experiment_points(&e); i++)
			if (sc_experiment_at(&e, i, &p, err, sizeof(err)) != 0)
				abort();
		if (e.ntransports == 0 || e.repeat == 0 || sc_plan_msgs(&e.send) == 0 || e.recv.size == 0)
			abort();
	} else if (strncmp(err, "fuzz.exp", 8) != 0 || strchr(err, '\n')) {
		abort();
	}
	free(text);
	return 0;
}
