/* fuzz_ctl.c - the control protocol's decoders (shared/ctl.c) on arbitrary
 * bytes, as a hostile client sends them to `sockcmp serve`: the frame
 * header, the tag check of a keyed session, and the START request. A
 * START that decodes must encode back to the same bytes. */
#include <stdint.h>
#include <string.h>

#include "ctl.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint8_t k[16] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};
	static const uint8_t nc[16], ns[16] = {1};
	struct sc_ctl_session s;
	struct sc_ctl_hdr h;
	struct sc_ctl_start st;
	uint8_t back[SC_CTL_S_MAX_LEN];
	char err[256];

	if (sc_ctl_hdr_decode(data, size, &h) == 0) {
		size_t n = size - SC_CTL_HDR_LEN < h.length ? size - SC_CTL_HDR_LEN : h.length;

		sc_ctl_session_init(&s, k, false, nc, ns);
		(void)sc_ctl_check(&s, data, data + SC_CTL_HDR_LEN, n);
		if (h.type == SC_CTL_T_START)
			(void)sc_ctl_start_decode(data + SC_CTL_HDR_LEN, n, &st, err, sizeof(err));
	}
	if (sc_ctl_start_decode(data, size, &st, err, sizeof(err)) == 0) {
		long n = sc_ctl_start_encode(&st, back);

		if (n != (long)size || memcmp(back, data, size) != 0)
			__builtin_trap();
	}
	return 0;
}
