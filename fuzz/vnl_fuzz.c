/*
 * vnl_fuzz: libFuzzer target for libvdeplug's name parser, vnl_parse()
 * (src/lib/vnl.c): the names users write for a switch or a cable.  It must
 * never crash; an accepted name must yield a terminated path, a port in
 * range and a valid mode, and a refused one must set errno and say why.
 */
#include "config.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "proto.h"
#include "lib.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vnl	 v;
	char		*name, err[256];

	if ((name = malloc(size + 1)) == NULL)
		return (0);
	memcpy(name, data, size);
	name[size] = '\0';
	errno = 0;
	if (vnl_parse(name, &v, err, sizeof(err)) == -1) {
		if (errno == 0 || err[0] == '\0')
			abort();
	} else {
		if (memchr(v.v_path, '\0', sizeof(v.v_path)) == NULL ||
		    memchr(v.v_group, '\0', sizeof(v.v_group)) == NULL ||
		    memchr(v.v_portgroup, '\0', sizeof(v.v_portgroup)) == NULL)
			abort();
		if (v.v_kind != VNL_SWITCH && v.v_kind != VNL_PTP &&
		    v.v_kind != VNL_UDP)
			abort();
		if (v.v_port < 0 || v.v_port > VDE_PORT_MAX ||
		    v.v_mode > 07777)
			abort();
		if (v.v_default && (v.v_kind != VNL_SWITCH || v.v_path[0]))
			abort();
		if (!v.v_default && v.v_path[0] == '\0')
			abort();
	}
	free(name);
	return (0);
}
