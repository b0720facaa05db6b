/* ctl.c - the control protocol's frames, handshake and START request. */
#include "ctl.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "be.h"

#define MAX_BUF (1ull << 30) /* SO_RCVBUF / SO_SNDBUF, as the script format */
#define MAX_RECORDS (64ull << 20)

void sc_ctl_hdr_encode(const struct sc_ctl_hdr *h, uint8_t out[SC_CTL_HDR_LEN])
{
	sc_be_put16(out + SC_CTL_OFF_MAGIC, SC_CTL_MAGIC);
	out[SC_CTL_OFF_VERSION] = SC_CTL_VERSION;
	out[SC_CTL_OFF_TYPE] = h->type;
	sc_be_put32(out + SC_CTL_OFF_LENGTH, h->length);
	sc_be_put64(out + SC_CTL_OFF_TAG, h->tag);
}

int sc_ctl_hdr_decode(const uint8_t *buf, size_t len, struct sc_ctl_hdr *h)
{
	if (len < SC_CTL_HDR_LEN)
		return -EMSGSIZE;
	if (sc_be_get16(buf + SC_CTL_OFF_MAGIC) != SC_CTL_MAGIC)
		return -EBADMSG;
	if (buf[SC_CTL_OFF_VERSION] != SC_CTL_VERSION || buf[SC_CTL_OFF_TYPE] == 0 ||
	    buf[SC_CTL_OFF_TYPE] > SC_CTL_T_MAX)
		return -EPROTO;
	h->type = buf[SC_CTL_OFF_TYPE];
	h->length = sc_be_get32(buf + SC_CTL_OFF_LENGTH);
	h->tag = sc_be_get64(buf + SC_CTL_OFF_TAG);
	if (h->length > SC_CTL_MAX_PAYLOAD)
		return -E2BIG;
	return 0;
}

/* SipHash of label, then the two nonces. */
static uint64_t labelled(const uint8_t k[SC_SIPHASH_KEY_LEN], const char *label,
			 const uint8_t nc[SC_CTL_NONCE_LEN], const uint8_t ns[SC_CTL_NONCE_LEN])
{
	uint8_t buf[64];
	size_t n = strlen(label);

	memcpy(buf, label, n);
	memcpy(buf + n, nc, SC_CTL_NONCE_LEN);
	memcpy(buf + n + SC_CTL_NONCE_LEN, ns, SC_CTL_NONCE_LEN);
	return sc_siphash24(k, buf, n + 2 * SC_CTL_NONCE_LEN);
}

uint64_t sc_ctl_proof(const uint8_t k[SC_SIPHASH_KEY_LEN], bool server,
		      const uint8_t nc[SC_CTL_NONCE_LEN], const uint8_t ns[SC_CTL_NONCE_LEN])
{
	return labelled(k, server ? "sockcmp-ctl-1 server" : "sockcmp-ctl-1 client", nc, ns);
}

void sc_ctl_session_init(struct sc_ctl_session *s, const uint8_t k[SC_SIPHASH_KEY_LEN], bool client,
			 const uint8_t nc[SC_CTL_NONCE_LEN], const uint8_t ns[SC_CTL_NONCE_LEN])
{
	sc_be_put64(s->key, labelled(k, "sockcmp-ctl-1 session0", nc, ns));
	sc_be_put64(s->key + 8, labelled(k, "sockcmp-ctl-1 session1", nc, ns));
	s->seq_out = s->seq_in = 0;
	s->client = client;
	s->keyed = true;
}

bool sc_ctl_equal64(uint64_t a, uint64_t b)
{
	volatile uint64_t d = a ^ b;

	d |= d >> 32;
	d |= d >> 16;
	d |= d >> 8;
	return (d & 0xff) == 0;
}

/* The tag of one frame: direction, counter, header bytes 0..7, payload.
 * SipHash is streamed in one call, so the pieces go into one buffer. */
static uint64_t tag(const struct sc_ctl_session *s, bool from_client, uint64_t seq,
		    const uint8_t hdr[SC_CTL_HDR_LEN], const uint8_t *payload, size_t len)
{
	static _Thread_local uint8_t buf[17 + SC_CTL_MAX_PAYLOAD];

	buf[0] = from_client ? 'c' : 's';
	sc_be_put64(buf + 1, seq);
	memcpy(buf + 9, hdr, 8);
	if (len)
		memcpy(buf + 17, payload, len);
	return sc_siphash24(s->key, buf, 17 + (size_t)len);
}

void sc_ctl_seal(struct sc_ctl_session *s, uint8_t hdr[SC_CTL_HDR_LEN], const uint8_t *payload, size_t len)
{
	uint64_t t = s->keyed && len <= SC_CTL_MAX_PAYLOAD ? tag(s, s->client, s->seq_out, hdr, payload, len) : 0;

	sc_be_put64(hdr + SC_CTL_OFF_TAG, t);
	s->seq_out += s->keyed;
}

int sc_ctl_check(struct sc_ctl_session *s, const uint8_t hdr[SC_CTL_HDR_LEN], const uint8_t *payload, size_t len)
{
	if (!s->keyed)
		return 0;
	if (len > SC_CTL_MAX_PAYLOAD || len != sc_be_get32(hdr + SC_CTL_OFF_LENGTH) ||
	    !sc_ctl_equal64(tag(s, !s->client, s->seq_in, hdr, payload, len), sc_be_get64(hdr + SC_CTL_OFF_TAG)))
		return -EACCES;
	s->seq_in++;
	return 0;
}

void sc_ctl_mask_key(const struct sc_ctl_session *s, uint64_t n, uint8_t key[SC_SIPHASH_KEY_LEN])
{
	uint8_t in[16], pad[16];

	memcpy(in, "runkey0", 7);
	sc_be_put64(in + 8, n);
	in[7] = 0;
	sc_be_put64(pad, sc_siphash24(s->key, in, sizeof(in)));
	in[7] = 1;
	sc_be_put64(pad + 8, sc_siphash24(s->key, in, sizeof(in)));
	for (int i = 0; i < SC_SIPHASH_KEY_LEN; i++)
		key[i] ^= pad[i];
	memset(pad, 0, sizeof(pad));
}

static void put_name(uint8_t *p, const char *name)
{
	memset(p, 0, SC_CTL_NAME_LEN);
	memcpy(p, name, strnlen(name, SC_CTL_NAME_LEN - 1));
}

const char *const sc_ctl_file_suffix[SC_CTL_F_N] = {"-summary.csv", "-events.csv", "-messages.csv",
						     "-intervals.csv"};

long sc_ctl_start_encode(const struct sc_ctl_start *s, uint8_t *out)
{
	const struct sc_send_plan *sp = &s->send;
	uint8_t *o;

	if (sp->nops > SC_MAX_OPS)
		return -EINVAL;
	put_name(out + SC_CTL_S_OFF_MODE, s->mode);
	out[SC_CTL_S_OFF_ROLE] = s->role;
	put_name(out + SC_CTL_S_OFF_TRANSPORT, s->transport);
	sc_be_put32(out + SC_CTL_S_OFF_TOKEN, s->token);
	memcpy(out + SC_CTL_S_OFF_KEY, s->key, SC_SIPHASH_KEY_LEN);
	out[SC_CTL_S_OFF_PORT] = (uint8_t)(s->port >> 8);
	out[SC_CTL_S_OFF_PORT + 1] = (uint8_t)s->port;
	sc_be_put64(out + SC_CTL_S_OFF_MAX_RECORDS, s->max_records);
	sc_be_put64(out + SC_CTL_S_OFF_TIMEOUT, s->timeout_ns);
	sc_be_put64(out + SC_CTL_S_OFF_RECV_SIZE, s->recv.size);
	sc_be_put64(out + SC_CTL_S_OFF_RECV_AFTER, s->recv.after_ns);
	sc_be_put64(out + SC_CTL_S_OFF_RECV_EVERY, s->recv.every_ns);
	sc_be_put32(out + SC_CTL_S_OFF_RECV_FLAGS, (uint32_t)s->recv.flags);
	sc_be_put64(out + SC_CTL_S_OFF_RCVBUF, s->recv.rcvbuf);
	sc_be_put64(out + SC_CTL_S_OFF_PACE, sp->pace_ns);
	out[SC_CTL_S_OFF_END] = sp->end == SC_END_SHUTDOWN;
	sc_be_put64(out + SC_CTL_S_OFF_SNDBUF, sp->sndbuf);
	out[SC_CTL_S_OFF_NOPS] = (uint8_t)sp->nops;
	o = out + SC_CTL_S_OFF_OPS;
	for (size_t i = 0; i < sp->nops; i++, o += SC_CTL_S_OP_LEN) {
		o[0] = sp->ops[i].kind == SC_OP_PAUSE;
		sc_be_put64(o + 1, sp->ops[i].count);
		sc_be_put64(o + 9, sp->ops[i].size);
		sc_be_put64(o + 17, sp->ops[i].ns);
	}
	if (s->for_ns || s->bitrate) {
		sc_be_put64(o, s->for_ns);
		sc_be_put64(o + 8, s->bitrate);
		o += SC_CTL_S_EXT_LEN;
	}
	return (long)(o - out);
}

/* A NUL-terminated name of letters, digits and '-' in a 16-byte field.
 * Returns 0 or -EINVAL. */
static int get_name(const uint8_t *p, char *out)
{
	size_t n = strnlen((const char *)p, SC_CTL_NAME_LEN);

	if (n == 0 || n == SC_CTL_NAME_LEN)
		return -EINVAL;
	for (size_t i = 0; i < n; i++)
		if (!((p[i] >= 'a' && p[i] <= 'z') || (p[i] >= '0' && p[i] <= '9') || p[i] == '-'))
			return -EINVAL;
	for (size_t i = n; i < SC_CTL_NAME_LEN; i++)
		if (p[i])
			return -EINVAL;
	memcpy(out, p, SC_CTL_NAME_LEN);
	return 0;
}

#define BAD(...) (snprintf(err, errlen, __VA_ARGS__), -EINVAL)

int sc_ctl_start_decode(const uint8_t *buf, size_t len, struct sc_ctl_start *s, char *err, size_t errlen)
{
	struct sc_send_plan *sp = &s->send;
	const uint8_t *o;
	uint64_t msgs = 0;

	memset(s, 0, sizeof(*s));
	if (len < SC_CTL_S_OFF_OPS)
		return BAD("START of %zu bytes, at least %d expected", len, SC_CTL_S_OFF_OPS);
	sp->nops = buf[SC_CTL_S_OFF_NOPS];
	if (sp->nops < 1 || sp->nops > SC_MAX_OPS)
		return BAD("START with %zu operations (1 to %d)", sp->nops, SC_MAX_OPS);
	if (len != SC_CTL_S_OFF_OPS + sp->nops * SC_CTL_S_OP_LEN &&
	    len != SC_CTL_S_OFF_OPS + sp->nops * SC_CTL_S_OP_LEN + SC_CTL_S_EXT_LEN)
		return BAD("START of %zu bytes for %zu operations", len, sp->nops);
	if (get_name(buf + SC_CTL_S_OFF_MODE, s->mode) < 0)
		return BAD("START: malformed mode name");
	if (get_name(buf + SC_CTL_S_OFF_TRANSPORT, s->transport) < 0)
		return BAD("START: malformed transport name");
	s->role = buf[SC_CTL_S_OFF_ROLE];
	s->token = sc_be_get32(buf + SC_CTL_S_OFF_TOKEN);
	memcpy(s->key, buf + SC_CTL_S_OFF_KEY, SC_SIPHASH_KEY_LEN);
	s->port = (uint16_t)(buf[SC_CTL_S_OFF_PORT] << 8 | buf[SC_CTL_S_OFF_PORT + 1]);
	s->max_records = sc_be_get64(buf + SC_CTL_S_OFF_MAX_RECORDS);
	s->timeout_ns = sc_be_get64(buf + SC_CTL_S_OFF_TIMEOUT);
	s->recv.size = sc_be_get64(buf + SC_CTL_S_OFF_RECV_SIZE);
	s->recv.after_ns = sc_be_get64(buf + SC_CTL_S_OFF_RECV_AFTER);
	s->recv.every_ns = sc_be_get64(buf + SC_CTL_S_OFF_RECV_EVERY);
	s->recv.rcvbuf = sc_be_get64(buf + SC_CTL_S_OFF_RCVBUF);
	sp->pace_ns = sc_be_get64(buf + SC_CTL_S_OFF_PACE);
	sp->sndbuf = sc_be_get64(buf + SC_CTL_S_OFF_SNDBUF);
	if (s->token == 0)
		return BAD("START: token 0");
	if (s->max_records > MAX_RECORDS)
		return BAD("START: max_records above %llu", MAX_RECORDS);
	if (s->timeout_ns > SC_MAX_DURATION_NS || s->recv.after_ns > SC_MAX_DURATION_NS ||
	    s->recv.every_ns > SC_MAX_DURATION_NS || sp->pace_ns > SC_MAX_DURATION_NS)
		return BAD("START: a duration above one hour");
	if (s->recv.size < 1 || s->recv.size > SC_MAX_MSG)
		return BAD("START: read size %llu (1 to %u)", (unsigned long long)s->recv.size, SC_MAX_MSG);
	if (sc_be_get32(buf + SC_CTL_S_OFF_RECV_FLAGS) & ~(uint32_t)(SC_RECV_WAITALL | SC_RECV_TRUNC))
		return BAD("START: unknown receive flags");
	s->recv.flags = (int)sc_be_get32(buf + SC_CTL_S_OFF_RECV_FLAGS);
	if (s->recv.rcvbuf > MAX_BUF || sp->sndbuf > MAX_BUF)
		return BAD("START: a socket buffer above 1 GiB");
	if (buf[SC_CTL_S_OFF_END] > 1)
		return BAD("START: unknown end %u", buf[SC_CTL_S_OFF_END]);
	sp->end = buf[SC_CTL_S_OFF_END] ? SC_END_SHUTDOWN : SC_END_CLOSE;
	o = buf + SC_CTL_S_OFF_OPS;
	for (size_t i = 0; i < sp->nops; i++, o += SC_CTL_S_OP_LEN) {
		struct sc_op *op = &sp->ops[i];

		if (o[0] > 1)
			return BAD("START: operation %zu of unknown kind %u", i + 1, o[0]);
		op->kind = o[0] ? SC_OP_PAUSE : SC_OP_WRITE;
		op->count = sc_be_get64(o + 1);
		op->size = sc_be_get64(o + 9);
		op->ns = sc_be_get64(o + 17);
		if (op->kind == SC_OP_PAUSE ? op->ns > SC_MAX_DURATION_NS || op->count || op->size
					    : op->count < 1 || op->count > SC_MAX_COUNT || op->size < SC_MIN_MSG ||
						      op->size > SC_MAX_MSG || op->ns)
			return BAD("START: operation %zu out of range", i + 1);
		msgs += op->count;
	}
	if (msgs > SC_MAX_COUNT)
		return BAD("START: more than %u messages", SC_MAX_COUNT);
	if (o < buf + len) { /* the extension */
		s->for_ns = sc_be_get64(o);
		s->bitrate = sc_be_get64(o + 8);
		if (s->for_ns > SC_MAX_DURATION_NS)
			return BAD("START: a duration above one hour");
		if (s->bitrate > SC_CTL_S_MAX_BITRATE)
			return BAD("START: a bit rate above 10^12 bits/s");
		if (!s->for_ns && !s->bitrate)
			return BAD("START: an empty extension");
	}
	return 0;
}

void sc_ctl_time_eval(const struct sc_ctl_time *t, int64_t *offset_ns, int64_t *delay_ns)
{
	int64_t a = (int64_t)(t->t2 - t->t1), b = (int64_t)(t->t3 - t->t4);

	*offset_ns = a / 2 + b / 2 + (a % 2 + b % 2) / 2;
	*delay_ns = (int64_t)(t->t4 - t->t1) - (int64_t)(t->t3 - t->t2);
}
