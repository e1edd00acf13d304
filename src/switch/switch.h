/*
 * switch.h: the internal interface of vde_switch.  Structures first, then
 * one block per source file (the file name is the function prefix).
 *
 * Ownership: the core (loop, timer, ctl, port, fdb, forward, tapport, main)
 * defines the data model; mgmt.c and the cmd_*.c files, vlan.c, stp.c and
 * bpdu.c use it through the functions declared here.
 */
#ifndef SWITCH_H
#define SWITCH_H

#include <sys/types.h>

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "proto.h"

#define ETHER_ADDR_LEN		6
#define VLAN_MAX		4095	/* NOVLAN: a port with no untagged VLAN */
#define VLAN_NONE		4095
#define PORT_NONE		(-1)
#define UID_NONE		((uid_t)-1)
#define GID_NONE		((gid_t)-1)

/* --- loop.c: the poll() loop and monotonic timers --------------------- */

typedef void	(*loop_fn)(int fd, int revents, void *arg);

struct timer {
	uint64_t	  t_when;	/* loop_msec() deadline */
	void		(*t_fn)(void *);
	void		 *t_arg;
	int		  t_on;
	struct timer	 *t_next;
};

void		 loop_init(void);
void		 loop_add(int fd, int events, loop_fn fn, void *arg);
void		 loop_events(int fd, int events);	/* POLLIN|POLLOUT */
void		 loop_del(int fd);
int		 loop_run(void);		/* returns loop_exit()'s status */
void		 loop_exit(int status);
uint64_t	 loop_msec(void);		/* monotonic milliseconds */
time_t		 loop_sec(void);		/* whole seconds since start */
void		 timer_set(struct timer *, void (*)(void *), void *);
void		 timer_add(struct timer *, unsigned int msec);
void		 timer_del(struct timer *);

/* --- mgmt.c: the management console; cmd_*.c: its commands ----------- */

struct mgmt_out;		/* where a command writes its output */

#define CMD_DATA	0x01	/* prints a "0000 DATA END WITH '.'" block */
#define CMD_NEEDFD	0x02	/* needs a live console: EBADF in rc files */
#define CMD_LOGOUT	(-1)	/* c_fn return: end this session */
#define CMD_SHUTDOWN	(-2)	/* c_fn return: stop the switch */

struct cmd {
	const char	 *c_path;	/* "port/print"; a menu when c_fn NULL */
	const char	 *c_syntax;
	const char	 *c_help;
	int		  c_flags;
	int		(*c_fn)(struct mgmt_out *, const char *arg);
};

void		 cmd_register(const struct cmd *, size_t);
void		 mgmt_printf(struct mgmt_out *, const char *, ...)
		    __attribute__((__format__(printf, 2, 3)));

#endif /* SWITCH_H */
