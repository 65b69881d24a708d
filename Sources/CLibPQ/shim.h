#ifndef C_LIBPQ_SHIM_H
#define C_LIBPQ_SHIM_H
/// Debian installs libpq's header under /usr/include/postgresql; naming it by that path needs no -I flag.
#include <postgresql/libpq-fe.h>
#endif
