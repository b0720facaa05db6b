/* fuzz_rows.c - the readers of the per-run NAME.csv and of the paired
 * programs' PREFIX-summary.csv, -events.csv and -messages.csv on arbitrary
 * text (a guest's or an older
 * version's files are outside input). Each parse must end cleanly, and
 * every row it keeps must have a NUL-terminated transport. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "rows.h"
#include "summary.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A NUL-terminated copy of the input (the readers take whole files). */
static char *copy(const uint8_t *data, size_t size)
{
	char *t = malloc(size + 1);

	if (!t)
		abort();
	memcpy(t, data, size);
	t[size] = '\0';
	return t;
}

/* Reads text as a file of schema s, record by record, as the driver's
 * merge does with the sides' events and messages files. */
static void each_record(const uint8_t *data, size_t size, const struct sc_schema *s, void *rec,
			size_t rec_size)
{
	struct sc_schema_map m;
	char *t = copy(data, size), *p = t, *line = sc_next_record(&p);

	if (line && sc_schema_map(&m, s, NULL, line) == 0) {
		while ((line = sc_next_record(&p))) {
			memset(rec, 0, rec_size);
			sc_schema_parse(&m, line, rec);
		}
		sc_schema_map_free(&m);
	}
	free(t);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sc_event_row ev;
	struct sc_message_row msg;
	struct sc_experiment e;
	struct sc_side_summary s;
	char *t;

	memset(&e, 0, sizeof(e));
	strcpy(e.name, "fuzz");
	for (int swept = 0; swept < 2; swept++) {
		struct sc_rows r = {0};

		if (swept) {
			strcpy(e.sweep.param, "loss");
			e.sweep.n = 2;
		}
		t = copy(data, size);
		sc_rows_parse(&e, &r, t);
		for (size_t i = 0; i < r.n; i++)
			if (strnlen(r.v[i].transport, sizeof(r.v[i].transport)) == sizeof(r.v[i].transport) ||
			    strnlen(r.v[i].error, sizeof(r.v[i].error)) == sizeof(r.v[i].error))
				abort();
		sc_rows_free(&r);
		free(t);
	}
	each_record(data, size, &sc_events_schema, &ev, sizeof(ev));
	each_record(data, size, &sc_messages_schema, &msg, sizeof(msg));
	t = copy(data, size);
	if (sc_summary_parse(&s, t) == 0 && strnlen(s.role, sizeof(s.role)) == sizeof(s.role))
		abort();
	free(t);
	return 0;
}
