/* meta.c - the run metadata file. */
#include "meta.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/utsname.h>

#include "csv.h"
#include "link.h"
#include "version.h"

const char *const sc_meta_sysctls[] = {
	"net/core/rmem_default", "net/core/rmem_max", "net/core/wmem_default", "net/core/wmem_max",
	"net/ipv4/tcp_rmem", "net/ipv4/tcp_wmem", "net/ipv4/udp_mem", "net/ipv4/udp_rmem_min",
	"net/ipv4/udp_wmem_min", "net/core/netdev_max_backlog", "net/unix/max_dgram_qlen",
	"net/ipv4/ip_local_port_range", "net/ipv4/tcp_syn_retries", "net/core/somaxconn", NULL,
};

/* One sysctl's value with runs of white space made one space; null in
 * the document if it cannot be read. */
static void sysctl(struct sc_json *j, const char *proc, const char *name)
{
	char path[512], key[128], buf[256], out[256];
	size_t n, o = 0;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", proc, name);
	snprintf(key, sizeof(key), "%s", name);
	for (char *p = key; *p; p++)
		if (*p == '/')
			*p = '.';
	f = fopen(path, "re");
	if (!f) {
		sc_json_null(j, key);
		return;
	}
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	for (size_t i = 0; i < n && o < sizeof(out) - 1; i++) {
		bool sp = buf[i] == ' ' || buf[i] == '\t' || buf[i] == '\n';

		if (!sp)
			out[o++] = buf[i];
		else if (o && out[o - 1] != ' ')
			out[o++] = ' ';
	}
	while (o && out[o - 1] == ' ')
		o--;
	out[o] = '\0';
	sc_json_str(j, key, out);
}

int sc_meta_json(struct sc_json *j, const struct sc_experiment *e, const char *kernel, const char *why,
		 const char *proc)
{
	struct utsname u;

	sc_json_obj(j, NULL);
	sc_json_str(j, "sockcmp_version", sc_version());
	sc_json_str(j, "experiment", e->name);
	sc_json_str(j, "script", e->file);
	sc_json_str(j, "kernel", kernel ? kernel : "host");
	sc_json_bool(j, "impaired_link", kernel != NULL);
	sc_json_str(j, "kernel_why", why ? why : kernel ? NULL : "loopback: no link to impair");
	/* the code in NAME.csv's kernel_why column */
	sc_json_str(j, "kernel_why_code", sc_link_why_code(why));
	sc_json_obj(j, "uname");
	if (uname(&u) == 0) {
		sc_json_str(j, "sysname", u.sysname);
		sc_json_str(j, "release", u.release);
		sc_json_str(j, "version", u.version);
		sc_json_str(j, "machine", u.machine);
	}
	sc_json_end(j);
	sc_json_obj(j, "sysctl");
	for (size_t i = 0; sc_meta_sysctls[i]; i++)
		sysctl(j, proc, sc_meta_sysctls[i]);
	sc_json_end(j);
	sc_json_end(j);
	return sc_json_done(j);
}

int sc_meta_write(const struct sc_experiment *e, const char *dir, const char *kernel, const char *why)
{
	struct sc_json j;
	struct sc_csv f;
	char path[4096];
	int rc;

	snprintf(path, sizeof(path), "%s/%s-meta.json", dir, e->name);
	sc_json_init(&j, true);
	rc = sc_meta_json(&j, e, kernel, why, "/proc/sys");
	if (rc == 0)
		rc = sc_csv_open(&f, path);
	if (rc == 0) {
		/* The CSV writer's temporary file and rename: whole or not at all. */
		if (fwrite(j.buf, 1, j.len, f.fp) != j.len) {
			sc_csv_abort(&f);
			rc = -EIO;
		} else {
			rc = sc_csv_commit(&f);
		}
	}
	sc_json_free(&j);
	return rc;
}
