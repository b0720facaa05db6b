/* fuzz_endpoint.c - the address parser on arbitrary text. Inputs that
 * would need a name lookup are skipped: a fuzzer must not send DNS
 * queries. Whatever parses must format and parse back to the same address. */
#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "endpoint.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* True if the host part could make getaddrinfo ask a resolver: a name
 * (letters) outside brackets. Bracketed and all-digit hosts are parsed as
 * literals only (AI_NUMERICHOST), so they are safe. */
static int needs_lookup(const char *s)
{
	const char *colon = strrchr(s, ':');

	if (strncmp(s, "unix:", 5) == 0 || s[0] == '[')
		return 0;
	for (; *s && s != colon; s++)
		if (isalpha((unsigned char)*s))
			return 1;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const int types[] = {SOCK_STREAM, SOCK_DGRAM, SOCK_SEQPACKET};
	char *s, err[256], text[300];
	struct sc_endpoint ep, again;

	if (size > 256)
		return 0;
	s = malloc(size + 1);
	if (!s)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	if (strlen(s) != size || needs_lookup(s)) {
		free(s);
		return 0;
	}
	for (int t = 0; t < 3; t++)
		for (int passive = 0; passive < 2; passive++) {
			if (sc_endpoint_parse(s, types[t], passive, &ep, err, sizeof(err)) != 0)
				continue;
			if (sc_endpoint_format(&ep, text, sizeof(text)) != 0)
				abort();
			if (sc_endpoint_parse(text, types[t], 1, &again, err, sizeof(err)) != 0 ||
			    again.len != ep.len || memcmp(&again.addr, &ep.addr, ep.len) != 0)
				abort();
		}
	free(s);
	return 0;
}
