/* fuzz_plot_data.c - the reader sockcmp plot uses on NAME-messages.csv,
 * on arbitrary text (such a file is anyone's to edit). Checked on every
 * input, unswept and swept: no read or write out of bounds (ASan; an
 * earlier reader sized its buffer from the file length and overflowed on
 * rows of 15 bytes), and no more latencies kept than the text has
 * records, each array present when it holds any. The same text as a
 * run's NAME.csv for sc_plot_transports_present: in bounds, and its count
 * the number of transports it marks. */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "plot_data.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const transports[] = {"tcp", "udp", "unix-dgram"};
#define NT (sizeof(transports) / sizeof(transports[0]))

/* Runs the reader on an exact-size copy of the input. */
static void one(const uint8_t *data, size_t size, const char *param, const char *value)
{
	char *text = malloc(size + 1);
	int64_t *lat[NT];
	size_t n[NT], records = 1, total = 0;

	if (!text)
		return;
	memcpy(text, data, size);
	text[size] = '\0';
	for (size_t i = 0; i < size && data[i]; i++)
		records += data[i] == '\n' || data[i] == '\r';
	if (sc_plot_latencies(text, transports, NT, param, value, lat, n) == 0) {
		for (size_t t = 0; t < NT; t++) {
			if (n[t] && !lat[t])
				abort();
			for (size_t i = 0; i < n[t]; i++)
				total += lat[t][i] == INT64_MIN; /* touch every value kept */
			total += n[t];
			free(lat[t]);
		}
		if (total > 2 * records)
			abort();
	}
	free(text);
}

static void present(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1);
	bool got[NT];
	int r, marked = 0;

	if (!text)
		return;
	memcpy(text, data, size);
	text[size] = '\0';
	r = sc_plot_transports_present(text, transports, NT, got);
	for (size_t t = 0; t < NT; t++)
		marked += got[t];
	if (r >= 0 && r != marked)
		abort();
	if (r < 0 && marked)
		abort();
	free(text);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	present(data, size);
	one(data, size, NULL, NULL);
	one(data, size, "loss", "5%");
	return 0;
}
