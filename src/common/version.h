/*
 * version.h: the release every program reports for --version.
 */
#ifndef VERSION_H
#define VERSION_H

#include "log.h"

__dead void	 version_exit(void);

#endif /* VERSION_H */
