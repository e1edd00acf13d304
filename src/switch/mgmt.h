/*
 * mgmt.h: what the console's own files share (mgmt.c, the sessions;
 * mgmtscript.c, "load" and rc files; mgmtsock.c, the -M socket; mgmtev.c,
 * the debug events).  Commands see only switch.h, where a session is the
 * opaque struct mgmt_out.
 */
#ifndef MGMT_H
#define MGMT_H

#define MGMT_SOCK	0	/* a client of the -M socket */
#define MGMT_STDIO	1	/* the console on stdin/stdout */
#define MGMT_RC		2	/* an rc file: no output, no fd */

#define MGMT_MAXCLIENTS	128	/* -M clients at a time */

struct mgmt_out {
	int		 mo_kind;
	int		 mo_rfd;	/* input fd, -1 for rc files */
	int		 mo_wfd;	/* output fd, -1 for rc files */
	struct linebuf	 mo_in;
	char		*mo_buf;	/* pending output */
	size_t		 mo_off;	/* first unsent byte */
	size_t		 mo_len;	/* end of pending output */
	size_t		 mo_size;
	uint64_t	 mo_progress;	/* loop_msec of the last progress */
	uint32_t	 mo_debug;	/* debug categories subscribed */
	int		 mo_eof;	/* no more input */
	int		 mo_closing;	/* close once the output is sent */
	int		 mo_dead;	/* close now */
	int		 mo_noout;	/* stdout is gone: discard output */
	int		 mo_busy;	/* inside mgmt_io: do not free */
	int		 mo_depth;	/* nested load */
	size_t		 mo_loaded;	/* bytes read by this load */
	int		 mo_credok;	/* sockets: mo_cred known */
	struct os_peercred mo_cred;	/* sockets: the client's ids */
	int		 mo_events;	/* registered loop events (sockets) */
	int		 mo_rin;	/* stdio: fd 0 registered */
	int		 mo_wout;	/* stdio: fd 1 registered */
	struct timer	 mo_ptimer;	/* runs a lone partial line */
	struct mgmt_out	*mo_next;
};

/* mgmt.c */
void		 mgmt_status(struct mgmt_out *, int rv);
int		 mgmt_clients(void);
int		 mgmt_subscribed(void);
void		 mgmt_broadcast(uint32_t mask, const char *line);

/* mgmtscript.c */
int		 mgmtscript_run(struct mgmt_out *, const char *path, int echo);

/* mgmtsock.c */
void		 mgmtsock_open(const char *path, mode_t mode, gid_t gid);
void		 mgmtsock_close(void);

/* mgmtev.c */
void		 mgmtev_init(void);

#endif /* MGMT_H */
