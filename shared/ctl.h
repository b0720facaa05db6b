/* ctl.h - the control protocol between `sockcmp run --peer` (the client)
 * and `sockcmp serve` (the server): frames, the key handshake, and the
 * request that starts one role of a trial. Pure: no sockets here.
 *
 * Every frame is a 16-byte header and a payload, big-endian:
 *
 *   offset size field
 *        0    2 magic    0x5343 ("SC")
 *        2    1 version  SC_CTL_VERSION (1)
 *        3    1 type     SC_CTL_T_*
 *        4    4 length   payload bytes, at most SC_CTL_MAX_PAYLOAD
 *        8    8 tag      SipHash-2-4 under the session key of: direction
 *                        byte, the direction's frame counter (8 bytes),
 *                        header bytes 0..7, payload; 0 before the handshake
 *
 * Handshake (both sides hold the 128-bit pre-shared key K, and each sends
 * a fresh 16-byte nonce, so neither side's proof can be replayed):
 *
 *   client HELLO     nonce_c
 *   server CHALLENGE nonce_s, proof_s = SipHash(K, "sockcmp-ctl-1 server" nonce_c nonce_s)
 *   client AUTH      proof_c = SipHash(K, "sockcmp-ctl-1 client" nonce_c nonce_s)
 *   server OK        (tagged: from here on every frame is)
 *
 * The two labels differ, so a proof one side made can never be sent back
 * as the other's. The session key is SipHash(K, "sockcmp-ctl-1 session0|1"
 * nonce_c nonce_s); the run keys that START carries are masked with
 * SipHash(session, "runkey0|1" counter), so they never cross the network
 * in the clear. Proofs and tags are compared in constant time. */
#ifndef SC_CTL_H
#define SC_CTL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "script.h"
#include "siphash.h"

#define SC_CTL_MAGIC 0x5343u
#define SC_CTL_VERSION 1
#define SC_CTL_PORT 7207 /* sockcmp serve's default port */
#define SC_CTL_HDR_LEN 16
#define SC_CTL_MAX_PAYLOAD 65536u

#define SC_CTL_OFF_MAGIC 0
#define SC_CTL_OFF_VERSION 2
#define SC_CTL_OFF_TYPE 3
#define SC_CTL_OFF_LENGTH 4
#define SC_CTL_OFF_TAG 8

enum sc_ctl_type {
	SC_CTL_T_HELLO = 1,     /* c->s nonce_c[16] */
	SC_CTL_T_CHALLENGE = 2, /* s->c nonce_s[16] proof_s[8] */
	SC_CTL_T_AUTH = 3,      /* c->s proof_c[8] */
	SC_CTL_T_OK = 4,        /* s->c empty */
	SC_CTL_T_ERROR = 5,     /* either way: text */
	SC_CTL_T_TIME = 6,      /* c->s t1[8] */
	SC_CTL_T_TIME_REPLY = 7,/* s->c t1[8] t2[8] t3[8] */
	SC_CTL_T_START = 8,     /* c->s struct sc_ctl_start */
	SC_CTL_T_LISTENING = 9, /* s->c the receiver's address, text */
	SC_CTL_T_FILE = 10,     /* s->c kind[1] bytes: a piece of one result file */
	SC_CTL_T_DONE = 11,     /* s->c code[4] text: the role ended */
	SC_CTL_T_BYE = 12,      /* c->s empty */
	SC_CTL_T_MAX = 12,
};

#define SC_CTL_NONCE_LEN 16
#define SC_CTL_PROOF_LEN 8

/* Kinds of result file a FILE frame carries a piece of. */
enum sc_ctl_file { SC_CTL_F_SUMMARY, SC_CTL_F_EVENTS, SC_CTL_F_MESSAGES, SC_CTL_F_INTERVALS, SC_CTL_F_N };

/* The file name suffix of each kind ("-summary.csv", ...). */
extern const char *const sc_ctl_file_suffix[SC_CTL_F_N];

/* A decoded frame header. */
struct sc_ctl_hdr {
	uint8_t type;
	uint32_t length;
	uint64_t tag;
};

/* Writes a header into out. Never fails. */
void sc_ctl_hdr_encode(const struct sc_ctl_hdr *h, uint8_t out[SC_CTL_HDR_LEN]);

/* Decodes a header. Returns 0, -EMSGSIZE (len < 16), -EBADMSG (wrong
 * magic), -EPROTO (other version, or an unknown type), -E2BIG (a length
 * over SC_CTL_MAX_PAYLOAD): nothing more of the connection is read then. */
int sc_ctl_hdr_decode(const uint8_t *buf, size_t len, struct sc_ctl_hdr *h);

/* The session's keys and frame counters (one per direction). */
struct sc_ctl_session {
	uint8_t key[SC_SIPHASH_KEY_LEN];
	uint64_t seq_out, seq_in;
	bool client;   /* direction byte: 'c' for frames the client sends */
	bool keyed;    /* after the handshake: tags made and checked */
};

/* The proof a side makes (server: true for the server's). */
uint64_t sc_ctl_proof(const uint8_t k[SC_SIPHASH_KEY_LEN], bool server,
		      const uint8_t nc[SC_CTL_NONCE_LEN], const uint8_t ns[SC_CTL_NONCE_LEN]);

/* Fills s's key from K and both nonces and sets it keyed, counters 0. */
void sc_ctl_session_init(struct sc_ctl_session *s, const uint8_t k[SC_SIPHASH_KEY_LEN], bool client,
			 const uint8_t nc[SC_CTL_NONCE_LEN], const uint8_t ns[SC_CTL_NONCE_LEN]);

/* Constant-time comparison of two 64-bit values: true if equal. */
bool sc_ctl_equal64(uint64_t a, uint64_t b);

/* Seals a frame about to be sent: hdr (16 bytes, tag field ignored) and
 * its len bytes of payload; writes the tag into hdr (0 if not keyed) and
 * counts the frame. */
void sc_ctl_seal(struct sc_ctl_session *s, uint8_t hdr[SC_CTL_HDR_LEN], const uint8_t *payload, size_t len);

/* Checks a received frame's tag (if keyed) and counts it; len must be the
 * header's length. Returns 0 or -EACCES. */
int sc_ctl_check(struct sc_ctl_session *s, const uint8_t hdr[SC_CTL_HDR_LEN], const uint8_t *payload, size_t len);

/* Masks (or unmasks: the same operation) a run key for START frame number
 * n of the client's direction. */
void sc_ctl_mask_key(const struct sc_ctl_session *s, uint64_t n, uint8_t key[SC_SIPHASH_KEY_LEN]);

/* What a START asks for: one role of one trial, as structured fields that
 * the server checks and turns into the role's argv itself (the same argv
 * builder as a local run). No path, no argv, no shell text crosses. */
#define SC_CTL_NAME_LEN 16
struct sc_ctl_start {
	char mode[SC_CTL_NAME_LEN];      /* sc_modes[] name */
	uint8_t role;                    /* index into the mode's roles */
	char transport[SC_CTL_NAME_LEN]; /* sc_transport_find name */
	uint32_t token;
	uint8_t key[SC_SIPHASH_KEY_LEN]; /* the run key (masked on the wire) */
	uint16_t port;                   /* a connecting role: the listener's port on the client */
	uint64_t max_records;
	uint64_t timeout_ns;             /* the script's timeout, 0 = default */
	struct sc_recv_plan recv;
	struct sc_send_plan send;
	uint64_t for_ns;                 /* the script's 'for' (throughput, rr, crr), 0 = none */
	uint64_t bitrate;                /* the script's 'bitrate' in bits/s, 0 = flat out */
};

/* START payload layout: fixed part, then nops operations of 25 bytes
 * (kind 1, count 8, size 8, ns 8), then, only when either is not 0, the
 * extension for_ns[8] bitrate[8] (so a oneway START is what it always
 * was, and a server that predates the extension refuses a START that
 * needs it by its length instead of running it without its limits). */
#define SC_CTL_S_OFF_MODE 0
#define SC_CTL_S_OFF_ROLE 16
#define SC_CTL_S_OFF_TRANSPORT 17
#define SC_CTL_S_OFF_TOKEN 33
#define SC_CTL_S_OFF_KEY 37
#define SC_CTL_S_OFF_PORT 53
#define SC_CTL_S_OFF_MAX_RECORDS 55
#define SC_CTL_S_OFF_TIMEOUT 63
#define SC_CTL_S_OFF_RECV_SIZE 71
#define SC_CTL_S_OFF_RECV_AFTER 79
#define SC_CTL_S_OFF_RECV_EVERY 87
#define SC_CTL_S_OFF_RECV_FLAGS 95
#define SC_CTL_S_OFF_RCVBUF 99
#define SC_CTL_S_OFF_PACE 107
#define SC_CTL_S_OFF_END 115
#define SC_CTL_S_OFF_SNDBUF 116
#define SC_CTL_S_OFF_NOPS 124
#define SC_CTL_S_OFF_OPS 125
#define SC_CTL_S_OP_LEN 25
#define SC_CTL_S_EXT_LEN 16
#define SC_CTL_S_MAX_BITRATE 1000000000000ull /* the script's limit, 10^12 bits/s */
#define SC_CTL_S_MAX_LEN (SC_CTL_S_OFF_OPS + SC_MAX_OPS * SC_CTL_S_OP_LEN + SC_CTL_S_EXT_LEN)

/* Encodes s into out (room for SC_CTL_S_MAX_LEN bytes). Returns the
 * length, or -EINVAL if s has more than SC_MAX_OPS operations. */
long sc_ctl_start_encode(const struct sc_ctl_start *s, uint8_t *out);

/* Decodes and checks a START payload: exact length, names NUL-terminated
 * and printable, every number within the script format's limits
 * (shared/script.h), flags and end known. It does not look names up (the
 * caller does). Returns 0 or -EINVAL with the reason in err. */
int sc_ctl_start_decode(const uint8_t *buf, size_t len, struct sc_ctl_start *s, char *err, size_t errlen);

/* TIME_REPLY: the four timestamps of one NTP-style exchange and what they
 * give: offset = ((t2 - t1) + (t3 - t4)) / 2 (the server's clock minus
 * ours), delay = (t4 - t1) - (t3 - t2). */
struct sc_ctl_time {
	uint64_t t1, t2, t3, t4;
};
void sc_ctl_time_eval(const struct sc_ctl_time *t, int64_t *offset_ns, int64_t *delay_ns);

#endif
