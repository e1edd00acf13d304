#include <sys/types.h>
#include <sys/socket.h>
#include <string.h>
int
main(void)
{
	struct mmsghdr	m;
	int		sv[2];

	if (socketpair(AF_UNIX, SOCK_DGRAM, 0, sv) == -1)
		return (1);
	memset(&m, 0, sizeof(m));
	if (sendmmsg(sv[0], &m, 1, 0) != 1)
		return (1);
	return (recvmmsg(sv[1], &m, 1, MSG_DONTWAIT, NULL) == 1 ? 0 : 1);
}
