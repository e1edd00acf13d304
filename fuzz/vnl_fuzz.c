/*
 * vnl_fuzz: libFuzzer target for libvdeplug's name parser, vnl_parse()
 * (src/lib/vnl.c): the names users write for a switch or a cable, and
 * for vxvde:// and vxlan:// networks the options vxurl_parse() reads
 * (src/lib/vxurl.c).  It must never crash; an accepted name must yield a
 * terminated path, a port in range and a valid mode (a network: options
 * in their documented ranges), and a refused one must set errno and say
 * why.
 */
#include "config.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "proto.h"
#include "vxlan.h"
#include "lib.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static void	vnl_fuzz_vx(const struct vnl *);

/* The options of a vxvde:// or vxlan:// name. */
static void
vnl_fuzz_vx(const struct vnl *v)
{
	struct vxurl	u;
	char		err[256];

	errno = 0;
	if (vxurl_parse(v->v_path, v->v_kind, &u, err, sizeof(err)) == -1) {
		if (errno != EINVAL || err[0] == '\0')
			abort();
		return;
	}
	if (memchr(u.vu_host, '\0', sizeof(u.vu_host)) == NULL ||
	    memchr(u.vu_if, '\0', sizeof(u.vu_if)) == NULL)
		abort();
	if (u.vu_port < 1 || u.vu_port > 65535 || u.vu_vni > VXLAN_VNI_MAX ||
	    u.vu_ttl < 1 || u.vu_ttl > 255 || u.vu_hashsize < 1 ||
	    u.vu_hashsize > VXURL_HASHMAX || u.vu_expire < 1 ||
	    u.vu_expire > VXURL_EXPIREMAX || u.vu_grp > VXLAN_VNI_MAX)
		abort();
}

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
		    v.v_kind != VNL_UDP && v.v_kind != VNL_VXVDE &&
		    v.v_kind != VNL_VXLAN)
			abort();
		if (v.v_kind == VNL_VXVDE || v.v_kind == VNL_VXLAN) {
			vnl_fuzz_vx(&v);
			free(name);
			return (0);
		}
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
