/* fuzz_endpoint.c - the address parser on arbitrary text, passive and
 * active, for each socket type. Inputs that would need a name lookup are
 * skipped: a fuzzer must not send DNS queries. Whatever parses must format
 * and parse back to the same address; whatever fails must say why in one
 * line. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "endpoint.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* True if the host part could make getaddrinfo ask a resolver. endpoint.c
 * resolves a bracketed host and one of digits and dots as a literal
 * (AI_NUMERICHOST), an empty host or "*" not at all, and unix: addresses
 * without getaddrinfo; anything else, even "localhost" or "-", is a name.
 * Skipping every name (not only those with letters) keeps the fuzzer off
 * the resolver entirely: an earlier version let names through and ran 10x
 * slower, each input waiting on a lookup. */
static int needs_lookup(const char *s)
{
	const char *colon = strrchr(s, ':');
	size_t hlen;

	if (strncmp(s, "unix:", 5) == 0 || s[0] == '[' || !colon)
		return 0;
	hlen = (size_t)(colon - s);
	if (hlen == 0 || (hlen == 1 && s[0] == '*'))
		return 0;
	return strspn(s, "0123456789.") < hlen;
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
			err[0] = '\0';
			if (sc_endpoint_parse(s, types[t], passive, &ep, err, sizeof(err)) != 0) {
				if (!err[0] || strchr(err, '\n'))
					abort();
				continue;
			}
			if (sc_endpoint_format(&ep, text, sizeof(text)) != 0)
				abort();
			if (sc_endpoint_parse(text, types[t], 1, &again, err, sizeof(err)) != 0 ||
			    again.family != ep.family || again.len != ep.len ||
			    memcmp(&again.addr, &ep.addr, ep.len) != 0)
				abort();
		}
	free(s);
	return 0;
}
