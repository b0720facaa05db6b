/* siphash.c - SipHash-2-4, written from the paper's description (section 2)
 * and checked in test_wire against the reference implementation's 64
 * published test vectors (vectors.h of github.com/veorq/SipHash). */
#include "siphash.h"

/* Returns the little-endian 64-bit value at p (any alignment). */
static uint64_t le64(const uint8_t *p)
{
	uint64_t v = 0;

	for (int i = 7; i >= 0; i--)
		v = (v << 8) | p[i];
	return v;
}

static uint64_t rotl(uint64_t x, int b)
{
	return (x << b) | (x >> (64 - b));
}

/* One SipRound over the four state words. */
static void round4(uint64_t v[4])
{
	v[0] += v[1];
	v[1] = rotl(v[1], 13);
	v[1] ^= v[0];
	v[0] = rotl(v[0], 32);
	v[2] += v[3];
	v[3] = rotl(v[3], 16);
	v[3] ^= v[2];
	v[0] += v[3];
	v[3] = rotl(v[3], 21);
	v[3] ^= v[0];
	v[2] += v[1];
	v[1] = rotl(v[1], 17);
	v[1] ^= v[2];
	v[2] = rotl(v[2], 32);
}

/* Absorbs one 64-bit message word m with c = 2 rounds. */
static void compress(uint64_t v[4], uint64_t m)
{
	v[3] ^= m;
	round4(v);
	round4(v);
	v[0] ^= m;
}

/* The initial state is the key XORed with "somepseudorandomlygeneratedbytes";
 * the last word holds the final 0-7 bytes and, in its top byte, the input
 * length mod 256; finalisation is 0xff into v2 and d = 4 rounds. */
uint64_t sc_siphash24(const uint8_t k[SC_SIPHASH_KEY_LEN], const void *in, size_t n)
{
	const uint8_t *p = in;
	uint64_t k0 = le64(k), k1 = le64(k + 8), last = (uint64_t)n << 56;
	uint64_t v[4] = {k0 ^ 0x736f6d6570736575ull, k1 ^ 0x646f72616e646f6dull,
			 k0 ^ 0x6c7967656e657261ull, k1 ^ 0x7465646279746573ull};
	size_t i = 0;

	for (; i + 8 <= n; i += 8)
		compress(v, le64(p + i));
	for (size_t j = 0; i + j < n; j++)
		last |= (uint64_t)p[i + j] << (8 * j);
	compress(v, last);
	v[2] ^= 0xff;
	for (int r = 0; r < 4; r++)
		round4(v);
	return v[0] ^ v[1] ^ v[2] ^ v[3];
}
