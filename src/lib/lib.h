/*
 * lib.h: the private interface between the files of libvdeplug.  Nothing
 * here is exported: the build hides every symbol except those marked
 * LIB_EXPORT, which are exactly the public API of libvdeplug.h.
 */
#ifndef LIB_H
#define LIB_H

#include <sys/types.h>
#include <sys/socket.h>
#include <sys/un.h>

#include <netinet/in.h>

#include <limits.h>
#include <time.h>

#define LIB_EXPORT	__attribute__((__visibility__("default")))

#define VNL_GROUPLEN	64

/* What a name designates. */
#define VNL_SWITCH	0	/* a switch directory (or the default one) */
#define VNL_PTP		1	/* "path[]": a point-to-point socket */
#define VNL_UDP		2	/* "[src:]port->dst:port": a UDP cable */
#define VNL_VXVDE	3	/* "vxvde://...": a vxvde network */
#define VNL_VXLAN	4	/* "vxlan://...": a VXLAN network */

/* A parsed Virtual Network Locator (vde://PATH[options] or a bare PATH). */
struct vnl {
	int	v_kind;			/* VNL_* */
	int	v_default;		/* no path: look up the default switch */
	char	v_path[PATH_MAX];	/* switch directory (or ctl socket) */
	int	v_portset;		/* the name chose a port */
	int	v_port;			/* 0 with v_portset: management port */
	char	v_portgroup[VNL_GROUPLEN];	/* named port group, "" if none */
	char	v_group[VNL_GROUPLEN];	/* group of the client socket, "" */
	int	v_modeset;
	mode_t	v_mode;
};

/* src/lib/vnl.c */
int	 vnl_parse(const char *name, struct vnl *v, char *err, size_t errlen);
int	 vnl_default(struct vnl *v, char *err, size_t errlen);

struct vxnet;

/*
 * An open connection of any kind.  For a switch, vc_ctl is the control
 * stream; point-to-point and UDP cables have none (-1) and keep their
 * peer's address instead.
 */
struct vdeconn {
	int			 vc_kind;	/* VNL_* */
	int			 vc_data;	/* the datagram socket */
	int			 vc_ctl;	/* -1 for cables */
	int			 vc_connected;	/* vc_data is connected */
	struct vxnet		*vc_vx;		/* vxvde://, vxlan:// */
	struct sockaddr_storage	 vc_peer;	/* cables: where frames go */
	socklen_t		 vc_peerlen;
	char			 vc_path[PATH_MAX];	/* ptp: ours, unlinked */
	struct ringc		*vc_ring;	/* shared-memory rings, or NULL */
};

/* src/lib/vdeconn.c */
void	 vdeconn_error(const char *msg);

/*
 * src/lib/clisock.c: the client's data socket during the handshake.  It
 * is cs_name in the directory cs_dirfd (the switch directory, or a private
 * one named cs_priv in cs_tmpfd), and cs_path for the switch.
 */
struct clisock {
	int	cs_dirfd;		/* -1: none */
	int	cs_tmpfd;		/* -1: not in a private directory */
	char	cs_priv[16];		/* "vde.XXXXXX", "" if none */
	char	cs_name[32];		/* ".PPPPP-SSSSS", "" if none */
	char	cs_path[sizeof(((struct sockaddr_un *)0)->sun_path)];
};
int	 clisock_bind(int fd, const char *dir, struct clisock *);
int	 clisock_perms(const struct clisock *, const char *ctlpath,
	    const char *group, mode_t mode);
void	 clisock_close(struct clisock *);

/* src/lib/ptp.c: "path[]" and "path" naming a socket, as in VDE 2 */
int	 ptp_open(struct vdeconn *, const char *path, int female);
ssize_t	 ptp_recv(struct vdeconn *, void *, size_t);
ssize_t	 ptp_send(struct vdeconn *, const void *, size_t);
void	 ptp_close(struct vdeconn *);

/* src/lib/udp.c: "[src:]port->dst:port" */
int	 udp_open(struct vdeconn *, const char *spec, char *err,
	    size_t errlen);
ssize_t	 udp_recv(struct vdeconn *, void *, size_t);
ssize_t	 udp_send(struct vdeconn *, const void *, size_t);

/*
 * src/lib/vxurl.c: the options of "vxvde://[addr][/opt...]" and
 * "vxlan://[addr][/opt...]", as vdeplug4 writes them.  vu_host is "" for
 * the default group of the family.
 */
#define VXURL_HOSTLEN		256
#define VXURL_IFLEN		64
#define VXURL_VXVDE_PORT	14789
#define VXURL_TTL		1
#define VXURL_VNI		1
#define VXURL_HASHSIZE		1024	/* learned stations, default */
#define VXURL_HASHMAX		65536	/* learned stations, at most */
#define VXURL_EXPIRE		120	/* seconds a learned station lasts */
#define VXURL_EXPIREMAX		86400
#define VXURL_GROUP4		"239.0.0.1"
#define VXURL_GROUP6		"ff05:56de::1"

struct vxurl {
	int		vu_kind;	/* VNL_VXVDE or VNL_VXLAN */
	int		vu_family;	/* AF_UNSPEC (v4 unless an address
					   says v6), AF_INET, AF_INET6 */
	char		vu_host[VXURL_HOSTLEN];
	char		vu_if[VXURL_IFLEN];	/* "" for any */
	unsigned int	vu_port;
	unsigned long	vu_vni;
	int		vu_ttl;
	int		vu_grpset;	/* grp=: vu_grp goes into the address */
	unsigned long	vu_grp;
	unsigned int	vu_hashsize;
	unsigned int	vu_expire;
};
int	 vxurl_parse(const char *spec, int kind, struct vxurl *, char *err,
	    size_t errlen);

/* src/lib/vxtab.c: the learned stations of a vxvde or vxlan network */
struct vxtab_ent {
	unsigned char		ve_mac[6];
	socklen_t		ve_len;
	time_t			ve_seen;	/* 0: a free slot */
	struct sockaddr_in6	ve_addr;	/* or a sockaddr_in */
};
struct vxtab {
	struct vxtab_ent	*vt_ent;
	unsigned int		 vt_size;
	unsigned int		 vt_expire;	/* seconds */
};
int	 vxtab_init(struct vxtab *, unsigned int size, unsigned int expire);
void	 vxtab_free(struct vxtab *);
time_t	 vxtab_now(void);
void	 vxtab_learn(struct vxtab *, const unsigned char *mac,
	    const struct sockaddr *, socklen_t, time_t now);
const struct vxtab_ent *vxtab_lookup(const struct vxtab *,
	    const unsigned char *mac, time_t now);

/* src/lib/vxnet.c: the vxvde and vxlan networks */
int	 vxnet_open(struct vdeconn *, const char *spec, int kind, char *err,
	    size_t errlen);
ssize_t	 vxnet_recv(struct vdeconn *, void *, size_t);
ssize_t	 vxnet_send(struct vdeconn *, const void *, size_t);
void	 vxnet_close(struct vdeconn *);
/* src/lib/ringc.c: shared-memory rings with our switch (ring.h) */
struct ringc;
int	 ringc_wanted(void);
int	 ringc_open(struct vdeconn *);
ssize_t	 ringc_recv(struct vdeconn *, void *, size_t, int);
ssize_t	 ringc_send(struct vdeconn *, const void *, size_t, int);
void	 ringc_close(struct vdeconn *);

#endif /* LIB_H */
