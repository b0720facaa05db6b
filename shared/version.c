/* version.c - the version string, from the build's generated header. */
#include "version.h"

#include "sc_version_gen.h"

const char *sc_version(void)
{
	return SC_VERSION_STRING;
}
