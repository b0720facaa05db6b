/* serve.h - `sockcmp serve`: stays up, takes authenticated control
 * connections (shared/ctl.h), and on request runs one role of a trial
 * with the paired programs, validated options only. */
#ifndef SC_SERVE_H
#define SC_SERVE_H

#include <signal.h>

/* The command: `sockcmp serve --listen ADDR[:PORT] --key FILE
 * [--max-clients N]`. Returns the exit code (0 after SIGINT/SIGTERM, 1 if
 * it could not start, 2 on bad options). */
int sc_serve_main(int argc, char **argv, const char *bin_dir, const volatile sig_atomic_t *stop);

#endif
