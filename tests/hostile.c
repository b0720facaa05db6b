/* sc-hostile - throws hostile and foreign traffic at a sockcmp receiver
 * (tests/it/hostile.sh). Only ever sends to the address it is given, which
 * the test makes a loopback one.
 *
 *   sc-hostile udp HOST:PORT TOKEN     one datagram of each kind below, as
 *                                      an insider: sealed with the key in
 *                                      SOCKCMP_KEY where the kind needs it
 *   sc-hostile tcp HOST:PORT TOKEN     one connection of each stranger kind
 *                                      below; the half-header one stays open
 *                                      HOLD seconds
 *   sc-hostile desync HOST:PORT TOKEN  as the run's own sender (the key in
 *                                      SOCKCMP_KEY): one valid message, then
 *                                      bytes with a wrong magic (#17)
 *   sc-hostile forge udp|tcp HOST:PORT PID N
 *                                      a stranger on the same machine (run it
 *                                      as another uid): reads what it can of
 *                                      the receiver PID's /proc cmdline and
 *                                      environ, and sends N messages forged
 *                                      with the token and any key found there,
 *                                      then end markers claiming 1000 messages
 *
 * It prints what the receiver should count: "foreign N malformed M
 * corrupted C duplicated D" (forge adds "key found|unreadable|absent"). */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "be.h"
#include "endpoint.h"
#include "wire.h"

static struct sc_endpoint ep;
static struct sc_wire_key key; /* the insider's (SOCKCMP_KEY) or the forger's guess */

static int sock(int type)
{
	int fd = socket(ep.family, type, 0);

	if (fd < 0 || connect(fd, (struct sockaddr *)&ep.addr, ep.len) < 0) {
		perror("sc-hostile: connect");
		exit(1);
	}
	return fd;
}

/* A whole, valid message of len bytes, then damaged by the caller. */
static void msg(uint8_t *b, uint32_t len, uint32_t token, uint64_t seq, uint8_t flags)
{
	struct sc_wire_hdr h = {.version = SC_WIRE_VERSION, .flags = flags, .token = token,
				.length = len, .seq = seq};

	sc_wire_build(&key, &h, b, len);
}

/* Sends and pauses a little. Returns 0 or -1 (reported unless the peer
 * simply closed on us, as a receiver refusing a stranger does). */
static int xsend(int fd, const uint8_t *b, size_t n)
{
	int r = send(fd, b, n, MSG_NOSIGNAL) < 0 ? -1 : 0;

	if (r < 0 && errno != EPIPE && errno != ECONNRESET)
		perror("sc-hostile: send");
	usleep(2000);
	return r;
}

static void udp(uint32_t token)
{
	uint8_t b[1024];
	struct sc_wire_key real = key;
	int fd = sock(SOCK_DGRAM), foreign = 0, malformed = 0, corrupted = 0, dup = 0;

#define SEND(n, kind)              \
	do {                       \
		xsend(fd, b, (n)); \
		kind++;            \
	} while (0)
	for (int i = 0; i < 100; i++)
		b[i] = (uint8_t)(rand() & 0xff);
	b[0] = 'X';
	SEND(100, foreign);                               /* random bytes */
	SEND(0, foreign);                                 /* zero-length datagram */
	msg(b, 100, token, 1, 0);
	b[0] = 'T';
	SEND(100, foreign);                               /* wrong magic */
	msg(b, 100, token, 1, 0);
	b[SC_WIRE_OFF_VERSION] = 9;
	SEND(100, foreign);                               /* unknown version */
	msg(b, 100, token, 1, 0);
	b[SC_WIRE_OFF_VERSION] = 1;
	SEND(36, foreign);                                /* a version 1 message */
	msg(b, 100, token ^ 0x5a5a5a5a, 2, 0);
	SEND(100, foreign);                               /* another run's token */
	msg(b, SC_WIRE_HDR_LEN, token ^ 1, 3, SC_WIRE_F_FIN);
	SEND(SC_WIRE_HDR_LEN, foreign);                   /* another run's end marker */
	memset(&key, 0, sizeof(key));
	msg(b, SC_WIRE_HDR_LEN, token, 1000, SC_WIRE_F_FIN);
	key = real;
	SEND(SC_WIRE_HDR_LEN, foreign);                   /* end marker, public key */
	msg(b, SC_WIRE_HDR_LEN, token, 1000, SC_WIRE_F_FIN);
	b[SC_WIRE_OFF_MAC] ^= 1;
	SEND(SC_WIRE_HDR_LEN, foreign);                   /* end marker, bad mac */
	msg(b, SC_WIRE_HDR_LEN, token, 1000, SC_WIRE_F_FIN);
	sc_be_put32(b + SC_WIRE_OFF_CRC, 0x1234);
	sc_wire_seal(&key, b);
	SEND(SC_WIRE_HDR_LEN, foreign);                   /* sealed end marker, bad crc */
	msg(b, 100, token, 4, 0);
	sc_be_put32(b + SC_WIRE_OFF_LENGTH, 1000);
	sc_wire_seal(&key, b);
	SEND(100, malformed);                             /* length beyond the datagram */
	msg(b, 100, token, 5, 0);
	sc_be_put32(b + SC_WIRE_OFF_LENGTH, 0xffffffffu);
	sc_wire_seal(&key, b);
	SEND(100, malformed);                             /* length beyond any buffer */
	msg(b, 100, token, 6, 0);
	sc_be_put32(b + SC_WIRE_OFF_LENGTH, 10);
	sc_wire_seal(&key, b);
	SEND(100, malformed);                             /* length below the header */
	msg(b, 100, token, 7, 0);
	sc_be_put32(b + SC_WIRE_OFF_LENGTH, 10);
	SEND(100, foreign);                               /* length below, not resealed */
	msg(b, 100, token, 1000000000000ull, 0);
	b[60] ^= 1;
	SEND(100, corrupted);                             /* far ahead, bad payload */
	msg(b, 100, token, 0, 0);
	b[60] ^= 1;
	SEND(100, corrupted);                             /* seq 0, bad payload */
	msg(b, 200, token, 0, 0);
	SEND(200, dup);                                   /* a replay of the real seq 0 */
	printf("foreign %d malformed %d corrupted %d duplicated %d\n", foreign, malformed, corrupted,
	       dup);
	close(fd);
}

static void tcp(uint32_t token, int hold)
{
	uint8_t b[512];
	struct sc_wire_key real = key;
	int fd, foreign = 0;

	close(sock(SOCK_STREAM));                         /* connect and close at once */
	foreign++;
	fd = sock(SOCK_STREAM);                           /* random bytes */
	for (int i = 0; i < 200; i++)
		b[i] = (uint8_t)(rand() & 0xff);
	b[0] = 'X';
	xsend(fd, b, 200);
	close(fd);
	foreign++;
	fd = sock(SOCK_STREAM);                           /* another run's token */
	msg(b, 200, token ^ 77, 0, 0);
	xsend(fd, b, 200);
	close(fd);
	foreign++;
	fd = sock(SOCK_STREAM);                           /* the public key */
	memset(&key, 0, sizeof(key));
	msg(b, 200, token, 0, 0);
	key = real;
	xsend(fd, b, 200);
	close(fd);
	foreign++;
	fd = sock(SOCK_STREAM);                           /* half a header, then silence */
	msg(b, 200, token, 0, 0);
	xsend(fd, b, 18);
	foreign++;
	printf("foreign %d malformed 0 corrupted 0 duplicated 0\n", foreign);
	fflush(stdout);
	sleep((unsigned)hold);
	close(fd);
}

/* As the run's sender: message 0 whole, then a second "header" with a
 * wrong magic. The receiver must count one foreign (not malformed). */
static void desync(uint32_t token)
{
	uint8_t b[300];
	int fd = sock(SOCK_STREAM);

	msg(b, 200, token, 0, 0);
	memset(b + 200, 'Z', 100);
	xsend(fd, b, sizeof(b));
	close(fd);
	printf("foreign 1 malformed 0 corrupted 0 duplicated 0\n");
}

/* Reads /proc/PID/NAME whole into buf (NUL-separated fields). Returns the
 * byte count, or -errno. */
static ssize_t slurp(long pid, const char *name, char *buf, size_t len)
{
	char path[64];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/%ld/%s", pid, name);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = read(fd, buf, len - 1);
	if (n < 0)
		n = -errno;
	close(fd);
	return n;
}

/* What a stranger learns from the receiver's /proc: the token after
 * --token on its command line, and SOCKCMP_KEY if its environment is
 * readable. Returns "found", "unreadable" or "absent". */
static const char *spy(long pid, uint32_t *token)
{
	char buf[16384];
	ssize_t n = slurp(pid, "cmdline", buf, sizeof(buf));
	const char *k = SC_WIRE_KEY_ENV "=";

	*token = 0;
	for (ssize_t i = 0; n > 0 && i < n; i += (ssize_t)strlen(buf + i) + 1)
		if (!strcmp(buf + i, "--token") && i + 8 < n)
			*token = (uint32_t)strtoul(buf + i + 8, NULL, 10);
	n = slurp(pid, "environ", buf, sizeof(buf));
	if (n < 0)
		return "unreadable";
	for (ssize_t i = 0; i < n; i += (ssize_t)strlen(buf + i) + 1)
		if (!strncmp(buf + i, k, strlen(k)) && sc_wire_key_parse(buf + i + strlen(k), &key) == 0)
			return "found";
	return "absent";
}

static void forge(const char *how, long pid, int n)
{
	uint8_t b[200];
	uint32_t token;
	const char *found = spy(pid, &token);
	int stream = !strcmp(how, "tcp"), fd = sock(stream ? SOCK_STREAM : SOCK_DGRAM), foreign = 0;

	/* Whatever a stranger tries: seqs the real sender will use (to look
	 * like duplicates and reorderings) and beyond (extra "unique"). */
	for (int i = 0; i < n; i++) {
		msg(b, sizeof(b), token, (uint64_t)(i % 2 ? i : 1000 + i), 0);
		if (!stream)
			SEND(sizeof(b), foreign);
		else if (xsend(fd, b, sizeof(b)) < 0)
			break; /* refused */
	}
	for (int i = 0; i < 3; i++) {
		msg(b, SC_WIRE_HDR_LEN, token, 1000, SC_WIRE_F_FIN);
		if (!stream)
			SEND(SC_WIRE_HDR_LEN, foreign);
		else if (xsend(fd, b, SC_WIRE_HDR_LEN) < 0)
			break;
	}
	if (stream)
		foreign = 1; /* one connection, refused at its first header */
	printf("foreign %d malformed 0 corrupted 0 duplicated 0 key %s token %u\n", foreign, found,
	       token);
	close(fd);
}

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "", *k = getenv(SC_WIRE_KEY_ENV);
	int is_forge = !strcmp(mode, "forge"), a = is_forge ? 3 : 2;
	char err[256];

	if (argc < (is_forge ? 6 : 4)) {
		fprintf(stderr, "usage: sc-hostile udp|tcp|desync HOST:PORT TOKEN [HOLD]\n"
				"       sc-hostile forge udp|tcp HOST:PORT PID N\n");
		return 2;
	}
	if (!is_forge && k && sc_wire_key_parse(k, &key) < 0) {
		fprintf(stderr, "sc-hostile: bad %s\n", SC_WIRE_KEY_ENV);
		return 2;
	}
	if (sc_endpoint_parse(argv[a], !strcmp(is_forge ? argv[2] : mode, "udp") ? SOCK_DGRAM : SOCK_STREAM,
			      0, &ep, err, sizeof(err)) < 0) {
		fprintf(stderr, "sc-hostile: %s\n", err);
		return 2;
	}
	srand(42);
	if (is_forge)
		forge(argv[2], strtol(argv[4], NULL, 10), atoi(argv[5]));
	else if (!strcmp(mode, "udp"))
		udp((uint32_t)strtoul(argv[3], NULL, 10));
	else if (!strcmp(mode, "desync"))
		desync((uint32_t)strtoul(argv[3], NULL, 10));
	else
		tcp((uint32_t)strtoul(argv[3], NULL, 10), argc > 4 ? atoi(argv[4]) : 3);
	return 0;
}
