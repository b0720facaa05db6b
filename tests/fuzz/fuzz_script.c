/* fuzz_script.c - the experiment-script parser on arbitrary text. Every
 * script it accepts must be complete and must accept each of its sweep
 * points; every rejection must come with a one-line "fuzz.exp..." message.
 * The first line also goes to the command-line forms of send and recv. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "script.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Aborts unless err is a single line that starts with prefix. */
static void one_line(const char *err, const char *prefix)
{
	if (strncmp(err, prefix, strlen(prefix)) != 0 || strchr(err, '\n'))
		abort();
}

/* The first line of the input, NUL-terminated, as command-line arguments. */
static void command_line(const uint8_t *data, size_t size)
{
	char args[600], err[512];
	size_t n = 0;
	struct sc_op op;
	struct sc_recv_plan r;

	while (n < size && n < sizeof(args) - 1 && data[n] != '\n' && data[n] != '\0') {
		args[n] = (char)data[n];
		n++;
	}
	args[n] = '\0';
	err[0] = '\0';
	if (sc_script_send_args(args, &op, err, sizeof(err)) == 0) {
		if (op.kind != SC_OP_WRITE || op.count < 1 || op.count > SC_MAX_COUNT ||
		    op.size < SC_MIN_MSG || op.size > SC_MAX_MSG)
			abort();
	} else {
		one_line(err, "");
	}
	if (sc_script_recv_args(args, &r, err, sizeof(err)) == 0) {
		if (r.size < 1 || r.size > SC_MAX_MSG)
			abort();
	} else {
		one_line(err, "");
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct sc_experiment e, p;
	char err[512];
	/* A copy of exactly size bytes, so ASan sees any read past the end. */
	char *text = malloc(size ? size : 1);

	if (!text)
		return 0;
	memcpy(text, data, size);
	err[0] = '\0';
	if (sc_script_parse(text, size, "fuzz.exp", &e, err, sizeof(err)) == 0) {
		if (e.ntransports == 0 || e.ntransports > SC_MAX_TRANSPORTS || e.repeat == 0 ||
		    sc_plan_msgs(&e.send) == 0 || e.recv.size == 0 || !e.name[0] ||
		    e.sweep.n > SC_MAX_SWEEP)
			abort();
		for (size_t i = 0; i < sc_experiment_points(&e); i++) {
			if (sc_experiment_at(&e, i, &p, err, sizeof(err)) != 0)
				abort();
			if (sc_plan_msgs(&p.send) == 0 || strlen(p.link) >= SC_LINK_MAX)
				abort();
		}
	} else {
		one_line(err, "fuzz.exp");
	}
	command_line(data, size);
	free(text);
	return 0;
}
