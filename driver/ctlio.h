/* ctlio.h - control frames over a socket, with deadlines (the protocol
 * itself is shared/ctl.h), and the pre-shared key file. */
#ifndef SC_CTLIO_H
#define SC_CTLIO_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>

#include "ctl.h"

/* Sends one frame (sealed under s) before the CLOCK_MONOTONIC deadline.
 * Returns 0, -ETIMEDOUT, -EINTR (*stop set) or -errno (-EPIPE: the peer
 * has gone). */
int sc_ctl_send(int fd, struct sc_ctl_session *s, uint8_t type, const void *payload, size_t len,
		uint64_t deadline, const volatile sig_atomic_t *stop);

/* Receives one frame into buf (room for SC_CTL_MAX_PAYLOAD bytes) before
 * the deadline and checks its tag. Returns the payload length and sets
 * *type, or -ETIMEDOUT, -EINTR, -ECONNRESET (the peer closed), -EBADMSG,
 * -EPROTO, -E2BIG (see sc_ctl_hdr_decode), -EACCES (a bad tag) or -errno. */
long sc_ctl_recv(int fd, struct sc_ctl_session *s, uint8_t *type, uint8_t *buf, uint64_t deadline,
		 const volatile sig_atomic_t *stop);

/* Sets TCP_NODELAY on a control socket: each frame is one request or
 * answer, and the clock exchange must not wait for delayed ACKs. */
void sc_ctl_nodelay(int fd);

/* A frame error in words, for messages. */
const char *sc_ctl_strerror(long r);

/* Reads the pre-shared key from path: 32 hex digits and a newline, in a
 * regular file of ours that neither group nor others can read (as ssh
 * treats private keys). If create is set and there is no file, makes one
 * (O_CREAT|O_EXCL|O_NOFOLLOW, mode 0600) with 16 bytes from getrandom().
 * Returns 0, 1 (created), or -errno with the reason in err: -EPERM (group
 * or world may read it, or not ours), -EINVAL (not a key), -ENOENT. */
int sc_key_load(const char *path, int create, uint8_t key[SC_SIPHASH_KEY_LEN], char *err, size_t errlen);

#endif
