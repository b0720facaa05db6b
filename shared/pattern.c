/* pattern.c - the payload pattern: fill, compare, CRC look-up (pattern.h). */
#include "pattern.h"

#include <string.h>

#include "wire.h"

/* Copies and comparisons go in chunks of CHUNK bytes from one buffer of
 * CHUNK + 256 pattern bytes: a chunk that starts a multiple of 256 bytes
 * further into the payload starts at the same place in the pattern. */
#define CHUNK 4096u

/* Per thread: the paired programs are single-threaded, but the library may
 * serve a threaded server model. */
static _Thread_local uint8_t base[CHUNK + 256];
static _Thread_local bool base_ready;
static _Thread_local struct {
	uint64_t n;
	uint64_t have[4]; /* bit k: crc[k] is known for length n */
	uint32_t crc[256];
} cache;

static const uint8_t *pattern(void)
{
	if (!base_ready) {
		for (size_t j = 0; j < sizeof(base); j++)
			base[j] = (uint8_t)(0x5a + 7 * j);
		base_ready = true;
	}
	return base;
}

/* Where payload(seq)[off] sits in the pattern: 7 * 165 = 1 mod 256. */
static unsigned entry(uint64_t seq, uint64_t off)
{
	return (unsigned)((seq * 165u + off) & 255u);
}

void sc_pattern_fill(uint8_t *p, size_t n, uint64_t seq, uint64_t off)
{
	const uint8_t *b = pattern() + entry(seq, off);

	for (size_t done = 0; done < n; done += CHUNK)
		memcpy(p + done, b, n - done < CHUNK ? n - done : CHUNK);
}

bool sc_pattern_match(const uint8_t *p, size_t n, uint64_t seq, uint64_t off)
{
	const uint8_t *b = pattern() + entry(seq, off);

	for (size_t done = 0; done < n; done += CHUNK)
		if (memcmp(p + done, b, n - done < CHUNK ? n - done : CHUNK) != 0)
			return false;
	return true;
}

uint32_t sc_pattern_crc_uncached(uint64_t seq, uint64_t n)
{
	const uint8_t *b = pattern() + entry(seq, 0);
	uint32_t c = 0;

	for (uint64_t done = 0; done < n; done += CHUNK)
		c = sc_crc32(c, b, n - done < CHUNK ? (size_t)(n - done) : CHUNK);
	return c;
}

uint32_t sc_pattern_crc(uint64_t seq, uint64_t n)
{
	unsigned k = entry(seq, 0);

	if (cache.n != n) {
		memset(cache.have, 0, sizeof(cache.have));
		cache.n = n;
	}
	if (!(cache.have[k / 64] & (1ull << (k % 64)))) {
		cache.crc[k] = sc_pattern_crc_uncached(seq, n);
		cache.have[k / 64] |= 1ull << (k % 64);
	}
	return cache.crc[k];
}

bool sc_pattern_check(const uint8_t *payload, size_t n, uint64_t seq, uint32_t crc)
{
	if (sc_pattern_match(payload, n, seq, 0))
		return sc_pattern_crc(seq, n) == crc;
	return sc_crc32(0, payload, n) == crc;
}

size_t sc_pattern_msg_iov(struct iovec *iov, size_t max, const uint8_t *hdr, size_t head,
			  uint64_t len, uint64_t seq, uint64_t off)
{
	size_t k = 0;

	if (off < head && off < len && k < max) {
		uint64_t end = head < len ? head : len;

		iov[k].iov_base = (void *)(hdr + off); /* writev does not write it */
		iov[k].iov_len = (size_t)(end - off);
		k++;
		off = end;
	}
	while (off < len && k < max) {
		/* Each entry ends on a CHUNK boundary of the payload, so it
		 * starts where entry() puts it and never runs past base[]. */
		uint64_t p = off - head;
		uint64_t take = CHUNK - p % CHUNK;

		if (take > len - off)
			take = len - off;
		iov[k].iov_base = (void *)(pattern() + entry(seq, p));
		iov[k].iov_len = (size_t)take;
		k++;
		off += take;
	}
	return k;
}
