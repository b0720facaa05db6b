/* fuzz_endpoint.c - the address parser on arbitrary text. Inputs that
 * would need a name lookup are skipped: a fuzzer must not send DNS
 * queries. Whatever parses must format and parse back to the same address. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "endpoint.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* True if the host part could make getaddrinfo ask a resolver. Only hosts
 * the parser resolves as literals (AI_NUMERICHOST: bracketed, or digits and
 * dots) or not at all (empty, "*", unix:) are fuzzed; anything else, even
 * "-" or "_", would be a name to look up, and a fuzzer must send no DNS
 * query (an earlier version let such names through: 10x fewer executions,
 * each waiting on a resolver). */
static int needs_lookup(const char *s)
{
	const char *colon = strrchr(s, ':');
	size_t hlen;

	if (strncmp(s, "unix:", 5) == 0 || s[0] == '[' || !colon)
		return 0;
	hlen = (size_t)(colon - s);
	if (hlen == 0 || (hlen == 1 && s[0] == '*'))
		return 0;
	return strspn(s, "0123456789.") != hlen;
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
