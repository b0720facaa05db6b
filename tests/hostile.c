/* sc-hostile - throws hostile and foreign traffic at a sockcmp receiver
 * (tests/it/hostile.sh). Only ever sends to the address it is given, which
 * the test makes a loopback one.
 *
 *   sc-hostile udp HOST:PORT TOKEN   one datagram of each kind below
 *   sc-hostile tcp HOST:PORT TOKEN   one connection of each kind below; the
 *                                    half-header one stays open HOLD seconds
 *
 * It prints what the receiver should count: "foreign N malformed M
 * corrupted C". */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "endpoint.h"
#include "wire.h"

static struct sc_endpoint ep;

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
static void msg(uint8_t *b, uint32_t len, uint32_t token, uint64_t seq)
{
	struct sc_wire_hdr h = {.version = SC_WIRE_VERSION, .token = token, .length = len, .seq = seq};

	sc_wire_build(&h, b, len);
}

static void put32(uint8_t *p, uint32_t v)
{
	v = htonl(v);
	memcpy(p, &v, 4);
}

static void udp(uint32_t token)
{
	uint8_t b[1024];
	int fd = sock(SOCK_DGRAM), foreign = 0, malformed = 0, corrupted = 0;

#define SEND(n, kind)                                   \
	do {                                            \
		if (send(fd, b, (n), 0) < 0)            \
			perror("sc-hostile: send");     \
		kind++;                                 \
		usleep(2000);                           \
	} while (0)
	for (int i = 0; i < 100; i++)
		b[i] = (uint8_t)(rand() & 0xff);
	b[0] = 'X';
	SEND(100, foreign);                               /* random bytes */
	SEND(0, foreign);                                 /* zero-length datagram */
	msg(b, 100, token, 1);
	b[0] = 'T';
	SEND(100, foreign);                               /* wrong magic */
	msg(b, 100, token, 1);
	b[SC_WIRE_OFF_VERSION] = 9;
	SEND(100, foreign);                               /* unknown version */
	msg(b, 100, token ^ 0x5a5a5a5a, 2);
	SEND(100, foreign);                               /* another run's token */
	{
		struct sc_wire_hdr h = {.version = 1, .flags = SC_WIRE_F_FIN, .token = token ^ 1,
					.length = SC_WIRE_HDR_LEN, .seq = 3};
		sc_wire_build(&h, b, SC_WIRE_HDR_LEN);
		SEND(SC_WIRE_HDR_LEN, foreign);           /* another run's end marker */
	}
	msg(b, 100, token, 4);
	put32(b + SC_WIRE_OFF_LENGTH, 1000);
	SEND(100, malformed);                             /* length beyond the datagram */
	msg(b, 100, token, 5);
	put32(b + SC_WIRE_OFF_LENGTH, 0xffffffffu);
	SEND(100, malformed);                             /* length beyond any buffer */
	msg(b, 100, token, 6);
	put32(b + SC_WIRE_OFF_LENGTH, 10);
	SEND(100, malformed);                             /* length below the header */
	msg(b, 100, token, 1000000000000ull);
	b[60] ^= 1;
	SEND(100, corrupted);                             /* far ahead, bad checksum */
	msg(b, 100, token, 0);
	b[60] ^= 1;
	SEND(100, corrupted);                             /* already seen, bad checksum */
	printf("foreign %d malformed %d corrupted %d\n", foreign, malformed, corrupted);
	close(fd);
}

static void tcp(uint32_t token, int hold)
{
	uint8_t b[512];
	int fd, foreign = 0;

	close(sock(SOCK_STREAM));                         /* connect and close at once */
	foreign++;
	fd = sock(SOCK_STREAM);                           /* random bytes */
	for (int i = 0; i < 200; i++)
		b[i] = (uint8_t)(rand() & 0xff);
	b[0] = 'X';
	if (write(fd, b, 200) < 0)
		perror("sc-hostile: write");
	close(fd);
	foreign++;
	fd = sock(SOCK_STREAM);                           /* another run's token */
	msg(b, 200, token ^ 77, 0);
	if (write(fd, b, 200) < 0)
		perror("sc-hostile: write");
	close(fd);
	foreign++;
	fd = sock(SOCK_STREAM);                           /* half a header, then silence */
	msg(b, 200, token, 0);
	if (write(fd, b, 18) < 0)
		perror("sc-hostile: write");
	foreign++;
	printf("foreign %d malformed 0 corrupted 0\n", foreign);
	fflush(stdout);
	sleep((unsigned)hold);
	close(fd);
}

int main(int argc, char **argv)
{
	char err[256];

	if (argc < 4) {
		fprintf(stderr, "usage: sc-hostile udp|tcp HOST:PORT TOKEN [HOLD]\n");
		return 2;
	}
	if (sc_endpoint_parse(argv[2], strcmp(argv[1], "udp") ? SOCK_STREAM : SOCK_DGRAM, 0, &ep, err,
			      sizeof(err)) < 0) {
		fprintf(stderr, "sc-hostile: %s\n", err);
		return 2;
	}
	srand(42);
	if (!strcmp(argv[1], "udp"))
		udp((uint32_t)strtoul(argv[3], NULL, 10));
	else
		tcp((uint32_t)strtoul(argv[3], NULL, 10), argc > 4 ? atoi(argv[4]) : 3);
	return 0;
}
