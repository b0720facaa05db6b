/* be.h - big-endian fields at any address: the one set of helpers that
 * the wire header (wire.c), the control protocol (ctl.c) and their users
 * write and read multi-byte values with.
 *
 * A value is converted with htons/htonl/htobe64 (or back) and copied with
 * memcpy, never through a pointer cast to a wider type, so neither the
 * buffer's alignment nor the host's byte order can leak onto the wire.
 * None of them can fail. */
#ifndef SC_BE_H
#define SC_BE_H

#include <arpa/inet.h>
#include <endian.h>
#include <stdint.h>
#include <string.h>

/* Stores v big-endian at p[0..1]. */
static inline void sc_be_put16(uint8_t *p, uint16_t v)
{
	uint16_t n = htons(v);

	memcpy(p, &n, sizeof(n));
}

/* Stores v big-endian at p[0..3]. */
static inline void sc_be_put32(uint8_t *p, uint32_t v)
{
	uint32_t n = htonl(v);

	memcpy(p, &n, sizeof(n));
}

/* Stores v big-endian at p[0..7]. */
static inline void sc_be_put64(uint8_t *p, uint64_t v)
{
	uint64_t n = htobe64(v);

	memcpy(p, &n, sizeof(n));
}

/* Returns the big-endian value at p[0..1]. */
static inline uint16_t sc_be_get16(const uint8_t *p)
{
	uint16_t n;

	memcpy(&n, p, sizeof(n));
	return ntohs(n);
}

/* Returns the big-endian value at p[0..3]. */
static inline uint32_t sc_be_get32(const uint8_t *p)
{
	uint32_t n;

	memcpy(&n, p, sizeof(n));
	return ntohl(n);
}

/* Returns the big-endian value at p[0..7]. */
static inline uint64_t sc_be_get64(const uint8_t *p)
{
	uint64_t n;

	memcpy(&n, p, sizeof(n));
	return be64toh(n);
}

#endif
