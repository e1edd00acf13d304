#include <sys/types.h>
#include <sys/socket.h>
#include <unistd.h>
int
main(void)
{
	int	sv[2];
	uid_t	uid;
	gid_t	gid;

	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == -1)
		return (1);
	if (getpeereid(sv[0], &uid, &gid) == -1)
		return (1);
	return (uid == geteuid() ? 0 : 1);
}
