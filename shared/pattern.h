/* pattern.h - the payload every sockcmp message carries, made cheap to
 * write and to verify.
 *
 * Byte i of message seq's payload is (uint8_t)(seq * 131 + i * 7 + 0x5a)
 * (wire.h). 7 is odd, so that is one sequence P[j] = 0x5a + 7 j (period
 * 256) entered at j = k(seq) = seq * 165 mod 256 (165 = 131 / 7 mod 256):
 * of each length there are only 256 distinct payloads. A sender therefore
 * copies the pattern and looks its CRC up instead of computing it per
 * message, and a receiver compares what arrived with the pattern (memcmp,
 * many times faster than a CRC) and looks the CRC up; only a payload that
 * differs from the pattern costs a CRC. The answers are exactly those of
 * the CRC over the bytes (issue 9 §3: TCP bulk spent most of its time in
 * the CRC at both ends). */
#ifndef SC_PATTERN_H
#define SC_PATTERN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/uio.h>

/* Writes payload(seq)[off .. off + n) to p. Cannot fail. */
void sc_pattern_fill(uint8_t *p, size_t n, uint64_t seq, uint64_t off);

/* True if p[0..n) equals payload(seq)[off .. off + n). */
bool sc_pattern_match(const uint8_t *p, size_t n, uint64_t seq, uint64_t off);

/* CRC-32 of payload(seq)[0..n): remembered per thread for the last length
 * asked (256 values), so a run of one message size computes each once. */
uint32_t sc_pattern_crc(uint64_t seq, uint64_t n);

/* The same, computed every time (for a prefix, without disturbing the
 * cache). */
uint32_t sc_pattern_crc_uncached(uint64_t seq, uint64_t n);

/* True if the CRC-32 of payload[0..n) is crc, as sc_wire_checksum() would
 * say, but with a memcmp and a look-up when payload is message seq's
 * pattern. */
bool sc_pattern_check(const uint8_t *payload, size_t n, uint64_t seq, uint32_t crc);

/* Points iov[0..) at the bytes off .. len-1 of a whole message of len
 * bytes whose first `head` bytes are hdr[0..head) and whose payload (from
 * byte head on) is message seq's pattern, so a sender can write it with
 * writev/sendmsg without copying the payload: the bytes are exactly those
 * of a buffer holding hdr followed by sc_pattern_fill(.., len - head, seq,
 * 0). The payload entries point into the pattern (read-only, per thread,
 * up to 4096 bytes each). Uses at most max entries (max >= 1): when the
 * rest does not fit, the entries cover a prefix of it and the caller
 * writes that, then asks again from the new offset (so a partial write
 * resumes where it stopped). Returns the number of entries, 0 when off >=
 * len. */
size_t sc_pattern_msg_iov(struct iovec *iov, size_t max, const uint8_t *hdr, size_t head,
			  uint64_t len, uint64_t seq, uint64_t off);

#endif
