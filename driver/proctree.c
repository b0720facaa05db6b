/* proctree.c - a process tree's use, from /proc (see proctree.h). */
#include "proctree.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "num.h"

int sc_proc_parse_stat(const char *text, struct sc_proc *p)
{
	const char *close = strrchr(text, ')'), *q;
	uint64_t v;
	int field;

	memset(p, 0, sizeof(*p));
	if (!close || !strchr(text, '(') || sc_parse_u64(&text, 1, INT32_MAX, &v) < 0 || *text != ' ')
		return -EINVAL;
	p->pid = (pid_t)v;
	q = close + 1;
	/* Fields after the name, counted from 3 as proc(5) does: 3 state,
	 * 4 ppid, ..., 20 num_threads. */
	for (field = 3; field <= 20; field++) {
		if (*q++ != ' ' || !*q)
			return -EINVAL;
		if (field == 3) {
			p->state = *q;
			q++;
			continue;
		}
		if (field == 4 || field == 20) {
			if (sc_parse_u64(&q, 0, INT32_MAX, &v) < 0)
				return -EINVAL;
			if (field == 4)
				p->ppid = (pid_t)v;
			else
				p->threads = v;
			continue;
		}
		/* a field we skip: signed numbers (priority, nice) included */
		if (*q == '-')
			q++;
		if (*q < '0' || *q > '9')
			return -EINVAL;
		while (*q >= '0' && *q <= '9')
			q++;
	}
	return 0;
}

/* True if p descends from root (or is root) through v's ppid links. */
static bool in_tree(const struct sc_proc *v, size_t n, const struct sc_proc *p, pid_t root)
{
	/* a chain longer than n has a cycle */
	for (size_t hops = 0; hops <= n; hops++) {
		const struct sc_proc *up = NULL;

		if (p->pid == root)
			return true;
		for (size_t i = 0; i < n && !up; i++)
			if (v[i].pid == p->ppid)
				up = &v[i];
		if (!up)
			return false;
		p = up;
	}
	return false;
}

size_t sc_proc_tree(const struct sc_proc *v, size_t n, pid_t root, struct sc_tree_use *u, pid_t *members,
		    size_t max)
{
	size_t k = 0;

	memset(u, 0, sizeof(*u));
	for (size_t i = 0; i < n; i++) {
		if (!in_tree(v, n, &v[i], root))
			continue;
		if (members && k < max)
			members[k] = v[i].pid;
		k++;
		u->procs++;
		u->zombies += v[i].state == 'Z';
		u->threads += v[i].state == 'Z' ? 0 : v[i].threads; /* a zombie runs nothing */
		u->fds += v[i].fds;
	}
	return k;
}

void sc_proc_fold(struct sc_srv_use *use, const struct sc_tree_use *u)
{
	use->samples++;
	if (u->procs > use->procs_max)
		use->procs_max = u->procs;
	if (u->zombies > use->zombies_max)
		use->zombies_max = u->zombies;
	if (u->threads > use->threads_max)
		use->threads_max = u->threads;
	if (u->fds > use->fds_max)
		use->fds_max = u->fds;
}

size_t sc_proc_seen(pid_t *seen, size_t *nseen, size_t cap, const pid_t *members, size_t n)
{
	size_t added = 0;

	for (size_t i = 0; i < n; i++) {
		bool known = false;

		for (size_t k = 0; k < *nseen && !known; k++)
			known = seen[k] == members[i];
		if (known || *nseen >= cap)
			continue;
		seen[(*nseen)++] = members[i];
		added++;
	}
	return added;
}

/* Entries of /proc/PID/fd, 0 if it cannot be read (a zombie has none). */
static uint64_t count_fds(pid_t pid)
{
	char path[64];
	DIR *d;
	struct dirent *de;
	uint64_t n = 0;

	snprintf(path, sizeof(path), "/proc/%d/fd", (int)pid);
	d = opendir(path);
	while (d && (de = readdir(d)))
		n += de->d_name[0] != '.';
	if (d)
		closedir(d);
	return n;
}

int sc_proctree_scan(pid_t root, struct sc_proc *v, size_t max)
{
	DIR *d = opendir("/proc");
	struct dirent *de;
	size_t n = 0;

	if (!d)
		return -errno;
	while (n < max && (de = readdir(d))) {
		char path[64], text[1024];
		uint64_t pid;
		ssize_t len;
		int fd;

		if (sc_str_u64(de->d_name, 1, INT32_MAX, &pid) < 0)
			continue;
		snprintf(path, sizeof(path), "/proc/%llu/stat", (unsigned long long)pid);
		fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			continue; /* gone meanwhile */
		len = read(fd, text, sizeof(text) - 1);
		close(fd);
		if (len <= 0)
			continue;
		text[len] = '\0';
		if (sc_proc_parse_stat(text, &v[n]) == 0)
			n++;
	}
	closedir(d);
	/* descriptors only where they matter: opening every process's fd
	 * directory would cost more than the server does */
	for (size_t i = 0; i < n; i++)
		if (v[i].state != 'Z' && in_tree(v, n, &v[i], root))
			v[i].fds = count_fds(v[i].pid);
	return (int)n;
}
