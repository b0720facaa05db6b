/* probe_util.h - small helpers the probes share (probe_*.c). Each returns
 * a descriptor or 0 on success and -errno on failure. */
#ifndef SC_PROBE_UTIL_H
#define SC_PROBE_UTIL_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/socket.h>
#include <sys/types.h>

#include "csv.h"

/* A socket of type on 127.0.0.1 (or ::1 for AF_INET6) port port (0: the
 * kernel picks), bound, listening with backlog if a stream; the address
 * it got in *out. Returns the fd or -errno. */
int pu_bound(int family, int type, uint16_t port, int backlog, struct sockaddr_storage *out,
	     socklen_t *outlen);

/* A blocking socket of type connected to to. Returns the fd or -errno. */
int pu_connected(int type, const struct sockaddr_storage *to, socklen_t tolen);

/* A connected TCP pair on 127.0.0.1: *client from connect(), *server from
 * accept4() (both blocking, close-on-exec); the listener is closed. Returns
 * 0, or -errno with nothing left open and both set to -1. */
int pu_tcp_pair(int *client, int *server);

/* The port of a bound IPv4/IPv6 address. */
uint16_t pu_port(const struct sockaddr_storage *a);

/* Waits up to ms for fd to become readable. Returns 1, 0 (timeout) or -errno. */
int pu_readable(int fd, int ms);

/* Loopback's transmit counters in this network namespace (/proc/net/dev;
 * every loopback packet is sent once). Returns 0 or -errno. */
int pu_lo_counters(uint64_t *packets, uint64_t *bytes);

/* Reads the first number of a /proc file. Returns 0 or -errno. */
int pu_proc_long(const char *path, long *v);

/* One "measure,value,unit" row. */
void pu_row(struct sc_csv *c, const char *measure, int64_t value, const char *unit);

/* The same row with an empty value: the measurement failed (the probe's
 * verdict says why), so no number is written that could pass for one. */
void pu_row_none(struct sc_csv *c, const char *measure, const char *unit);

/* pu_row if known, else pu_row_none: a step's figure, or the empty cell of
 * a step that failed. */
void pu_row_if(struct sc_csv *c, bool known, const char *measure, int64_t value, const char *unit);

/* The errno's symbolic name ("EACCES"), or its number. */
const char *pu_errname(int err);

/* What a probe asks uid 65534 to try (`sockcmp __as-nobody ACTION ARG`):
 *  PU_BIND: bind TCP 127.0.0.1:arg; exit 0 ok, 1 EACCES, 2 EADDRINUSE, 3 other;
 *  PU_ICMP_DGRAM: make a SOCK_DGRAM/IPPROTO_ICMP socket; 0 ok, 1 EACCES, 2 other. */
enum pu_nobody_action { PU_BIND, PU_ICMP_DGRAM };

/* Runs action as uid/gid 65534 (nobody) with no groups, in a child started
 * through the process runner (spawn.h): bin_dir/sockcmp __as-nobody, which
 * drops its privileges before it does anything else. Returns its exit
 * code, or -errno (not started, not finished within 5 s, killed, or it
 * could not drop to 65534: then 255 is turned into -EPERM). */
int pu_as_nobody(const char *bin_dir, enum pu_nobody_action action, unsigned arg);

/* `sockcmp __as-nobody ACTION ARG`: pu_as_nobody's child. */
int sc_probe_nobody_main(int argc, char **argv);

#endif
