/* siphash.h - SipHash-2-4 (Aumasson and Bernstein, "SipHash: a fast
 * short-input PRF", 2012), the keyed check over every sockcmp header.
 *
 * A 128-bit secret key and any number of input bytes give a 64-bit tag.
 * Without the key nobody can compute a valid tag for a new input, which is
 * what a CRC cannot offer: anyone can recompute a CRC. */
#ifndef SC_SIPHASH_H
#define SC_SIPHASH_H

#include <stddef.h>
#include <stdint.h>

#define SC_SIPHASH_KEY_LEN 16

/* Returns SipHash-2-4 of in[0..n) under key k (16 bytes, read as two
 * little-endian 64-bit words k0 = k[0..7], k1 = k[8..15], as in the
 * paper). The tag, written little-endian, matches the reference
 * implementation's 8 output bytes. Cannot fail. */
uint64_t sc_siphash24(const uint8_t k[SC_SIPHASH_KEY_LEN], const void *in, size_t n);

#endif
