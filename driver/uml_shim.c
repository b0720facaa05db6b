/* uml_shim.c - an LD_PRELOAD shim for linux.uml (Debian's UML 6.1) on
 * hosts whose XSAVE area is larger than UML knows (CPUs with AMX tiles).
 *
 * UML saves and restores its processes' FPU state with
 * ptrace(PTRACE_{GET,SET}REGSET, NT_X86_XSTATE) in a buffer of its own
 * fixed size; the host kernel only accepts a SETREGSET of its full XSAVE
 * size and fails with EFAULT, and the guest's first process dies
 * ("userspace - ptrace set fp regs failed, errno = 14"). Hiding the XSTATE
 * regset makes UML fall back to PTRACE_{GET,SET}FPREGS (the legacy x87/SSE
 * area), which works everywhere. Every other request goes to libc's own
 * ptrace() unchanged. */
#include <dlfcn.h>
#include <elf.h>
#include <errno.h>
#include <stdarg.h>
#include <sys/ptrace.h>
#include <sys/types.h>

typedef long (*ptrace_fn)(int, pid_t, void *, void *);

long ptrace(enum __ptrace_request req, ...);

long ptrace(enum __ptrace_request req, ...)
{
	static ptrace_fn real;
	va_list ap;
	pid_t pid;
	void *addr, *data;

	va_start(ap, req);
	pid = va_arg(ap, pid_t);
	addr = va_arg(ap, void *);
	data = va_arg(ap, void *);
	va_end(ap);
	if ((req == PTRACE_GETREGSET || req == PTRACE_SETREGSET) && (long)addr == NT_X86_XSTATE) {
		errno = EIO;
		return -1;
	}
	if (!real)
		real = (ptrace_fn)(long)dlsym(RTLD_NEXT, "ptrace");
	if (!real) {
		errno = ENOSYS;
		return -1;
	}
	return real((int)req, pid, addr, data);
}
