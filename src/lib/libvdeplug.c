/* libvdeplug: placeholder until its issue lands. */
#include "config.h"

#include "libvdeplug.h"

int	vdeplug_placeholder;
