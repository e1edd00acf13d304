/*
 * vnl.c: parsing of the names a client gives for a switch (spec sections
 * 11.3, 11.4 and 12.1): "DIR", "DIR[N]", "DIR[0]", "DIR[port=N/group=G/
 * mode=0660]", the same behind "vde://", and the per-user default switch
 * files.  Pure string work plus a few stat() calls, so it is unit-tested.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/stat.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "proto.h"
#include "lib.h"

/* Option keys in the order a prefix is matched: "p" is port, "g" group. */
enum vnl_key { K_PORT, K_PORTGROUP, K_GROUP, K_MODE, K_NONE };
static const char *const vnl_keys[] = { "port", "portgroup", "group", "mode" };

static int	vnl_fail(char *, size_t, int, const char *, const char *);
static int	vnl_option(struct vnl *, char *, char *, size_t);
static int	vnl_bracket(struct vnl *, char *, char *, size_t);
static enum vnl_key vnl_key(const char *, size_t);

/* Record why parsing failed, set errno and return -1. */
static int
vnl_fail(char *err, size_t errlen, int error, const char *what,
    const char *arg)
{
	if (err != NULL && errlen > 0)
		snprintf(err, errlen, "%s \"%s\"", what, arg);
	errno = error;
	return (-1);
}

/* Which key a (possibly abbreviated) option name is; K_NONE if none. */
static enum vnl_key
vnl_key(const char *name, size_t len)
{
	size_t	i;

	if (len == 0)
		return (K_NONE);
	for (i = 0; i < sizeof(vnl_keys) / sizeof(vnl_keys[0]); i++)
		if (len <= strlen(vnl_keys[i]) &&
		    strncmp(name, vnl_keys[i], len) == 0)
			return ((enum vnl_key)i);
	return (K_NONE);
}

/* Apply one bracket option: "N", "key=value" or a bare port group name. */
static int
vnl_option(struct vnl *v, char *opt, char *err, size_t errlen)
{
	const char	*errstr;
	char		*val, *end;
	long		 mode;
	enum vnl_key	 key;

	if ((val = strchr(opt, '=')) != NULL) {
		key = vnl_key(opt, (size_t)(val - opt));
		val++;
	} else if (opt[0] >= '0' && opt[0] <= '9') {
		key = K_PORT;
		val = opt;
	} else {
		key = K_PORTGROUP;
		val = opt;
	}
	switch (key) {
	case K_PORT:
		v->v_port = (int)strtonum(val, 0, VDE_PORT_MAX, &errstr);
		if (errstr != NULL)
			return (vnl_fail(err, errlen, EINVAL,
			    "port number is invalid or out of range:", val));
		v->v_portset = 1;
		break;
	case K_PORTGROUP:
	case K_GROUP:
		if (*val == '\0' || strlen(val) >= VNL_GROUPLEN)
			return (vnl_fail(err, errlen, EINVAL,
			    "bad group name", val));
		strlcpy(key == K_GROUP ? v->v_group : v->v_portgroup, val,
		    VNL_GROUPLEN);
		break;
	case K_MODE:
		errno = 0;
		mode = strtol(val, &end, 8);
		if (*val == '\0' || *end != '\0' || errno != 0 || mode < 0 ||
		    mode > 07777)
			return (vnl_fail(err, errlen, EINVAL,
			    "mode is not an octal permission:", val));
		v->v_mode = (mode_t)mode;
		v->v_modeset = 1;
		break;
	default:
		return (vnl_fail(err, errlen, EINVAL, "unknown option", opt));
	}
	return (0);
}

/* Parse the inside of "[...]": options separated by '/'. */
static int
vnl_bracket(struct vnl *v, char *in, char *err, size_t errlen)
{
	char	*opt, *next;

	if (*in == '\0') {
		v->v_kind = VNL_PTP;
		return (0);
	}
	for (opt = in; opt != NULL; opt = next) {
		if ((next = strchr(opt, '/')) != NULL)
			*next++ = '\0';
		if (*opt == '\0')
			continue;
		if (vnl_option(v, opt, err, errlen) == -1)
			return (-1);
	}
	return (0);
}

/*
 * Parse name into *v.  NULL or "" (also "vde://") means the default
 * switch; "path[]" a VDE 2 point-to-point socket and "[src:]port->dst:port"
 * a VDE 2 UDP cable (also written udp://, as in vdeplug4); "vxvde://..."
 * and "vxlan://..." VXLAN networks (the rest is vxurl.c's).  Any other
 * scheme is refused with EPROTONOSUPPORT, since this library has no
 * plug-in modules.  On failure errno is set and
 * err holds a sentence for the user.
 */
int
vnl_parse(const char *name, struct vnl *v, char *err, size_t errlen)
{
	char		 buf[PATH_MAX + 256], *open, *p;
	const char	*scheme;
	size_t		 len;

	memset(v, 0, sizeof(*v));
	if (err != NULL && errlen > 0)
		err[0] = '\0';
	if (name == NULL)
		name = "";
	if ((scheme = strstr(name, "://")) != NULL) {
		/* vdeplug4's udp:// is the VDE 2 UDP cable, same syntax. */
		if (scheme - name == 3 && strncmp(name, "udp", 3) == 0 &&
		    strstr(scheme + 3, "->") != NULL) {
			if (strlcpy(v->v_path, scheme + 3, sizeof(v->v_path)) >=
			    sizeof(v->v_path))
				return (vnl_fail(err, errlen, ENAMETOOLONG,
				    "name too long:", name));
			v->v_kind = VNL_UDP;
			return (0);
		}
		/* The VXLAN networks: vxurl.c reads the rest. */
		if ((scheme - name == 5 && strncmp(name, "vxvde", 5) == 0) ||
		    (scheme - name == 5 && strncmp(name, "vxlan", 5) == 0)) {
			if (strlcpy(v->v_path, scheme + 3, sizeof(v->v_path)) >=
			    sizeof(v->v_path))
				return (vnl_fail(err, errlen, ENAMETOOLONG,
				    "name too long:", name));
			v->v_kind = name[2] == 'v' ? VNL_VXVDE : VNL_VXLAN;
			return (0);
		}
		if (scheme - name != 3 || strncmp(name, "vde", 3) != 0) {
			len = (size_t)(scheme - name) + 3;
			snprintf(buf, sizeof(buf), "%.*s", (int)len, name);
			return (vnl_fail(err, errlen, EPROTONOSUPPORT,
			    "unsupported network scheme (vde://, udp://, vxvde:// and "
			    "vxlan:// are):",
			    buf));
		}
		name = scheme + 3;
	}
	if (strlcpy(buf, name, sizeof(buf)) >= sizeof(buf))
		return (vnl_fail(err, errlen, ENAMETOOLONG, "name too long:",
		    name));
	/* VDE 2's UDP cable: the whole name is the address pair. */
	if ((p = strstr(buf, "->")) != NULL && strchr(p, ':') != NULL) {
		if (strlen(buf) >= sizeof(v->v_path))
			return (vnl_fail(err, errlen, ENAMETOOLONG,
			    "name too long:", buf));
		v->v_kind = VNL_UDP;
		strlcpy(v->v_path, buf, sizeof(v->v_path));
		return (0);
	}
	len = strlen(buf);
	if (len > 0 && buf[len - 1] == ']' &&
	    (open = strrchr(buf, '[')) != NULL) {
		buf[len - 1] = '\0';
		*open = '\0';
		if (vnl_bracket(v, open + 1, err, errlen) == -1)
			return (-1);
	}
	/* "dir/" and "dir" name the same switch. */
	len = strlen(buf);
	while (len > 1 && buf[len - 1] == '/')
		buf[--len] = '\0';
	if (len == 0) {
		if (v->v_kind == VNL_PTP)
			return (vnl_fail(err, errlen, EINVAL,
			    "a point-to-point socket needs a path:", name));
		v->v_default = 1;
		return (0);
	}
	if (len >= sizeof(v->v_path))
		return (vnl_fail(err, errlen, ENAMETOOLONG, "name too long:",
		    buf));
	for (p = buf; *p != '\0'; p++)
		if (*p == '\n' || *p == '\r')
			return (vnl_fail(err, errlen, EINVAL,
			    "control character in name:", buf));
	memcpy(v->v_path, buf, len + 1);
	return (0);
}

/*
 * Resolve the per-user default switch into *v: $HOME/.vdeplug/default,
 * then $HOME/.vde2/default.switch.  A regular file holds a name on its first
 * line; anything else (a directory or a symbolic link to one) is the switch
 * directory itself.  Options already in *v (from "[...]") are kept.
 * Returns 1 when a default was found, 0 when there is none, -1 on error.
 */
int
vnl_default(struct vnl *v, char *err, size_t errlen)
{
	static const char *const files[] = {
		"/.vdeplug/default", "/.vde2/default.switch"
	};
	struct vnl	 def;
	struct stat	 st;
	const char	*home = getenv("HOME");
	char		 path[PATH_MAX], line[PATH_MAX + 256];
	FILE		*fp;
	size_t		 i;

	if (home == NULL || *home == '\0')
		return (0);
	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		if ((size_t)snprintf(path, sizeof(path), "%s%s", home,
		    files[i]) >= sizeof(path))
			continue;
		if (lstat(path, &st) == -1)
			continue;
		if (stat(path, &st) == 0 && S_ISREG(st.st_mode)) {
			if ((fp = fopen(path, "r")) == NULL)
				continue;
			if (fgets(line, sizeof(line), fp) == NULL)
				line[0] = '\0';
			fclose(fp);
			line[strcspn(line, "\r\n")] = '\0';
			if (vnl_parse(line, &def, err, errlen) == -1)
				return (-1);
			if (def.v_default)
				continue;
		} else {
			memset(&def, 0, sizeof(def));
			strlcpy(def.v_path, path, sizeof(def.v_path));
		}
		/* Options given with the call win over the file's. */
		v->v_kind = def.v_kind;
		strlcpy(v->v_path, def.v_path, sizeof(v->v_path));
		if (!v->v_portset) {
			v->v_portset = def.v_portset;
			v->v_port = def.v_port;
		}
		if (v->v_portgroup[0] == '\0')
			strlcpy(v->v_portgroup, def.v_portgroup,
			    sizeof(v->v_portgroup));
		if (v->v_group[0] == '\0')
			strlcpy(v->v_group, def.v_group, sizeof(v->v_group));
		if (!v->v_modeset) {
			v->v_modeset = def.v_modeset;
			v->v_mode = def.v_mode;
		}
		v->v_default = 0;
		return (1);
	}
	return (0);
}
