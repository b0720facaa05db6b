/* version.h - the version every program prints for --version/-V. */
#ifndef SC_VERSION_H
#define SC_VERSION_H

/* "0.1.0 (git 0123456789ab)": CMake's PROJECT_VERSION, and the commit the
 * build was made from when it was built from a git checkout ("-dirty" if
 * it had uncommitted changes). A static string. */
const char *sc_version(void);

#endif
