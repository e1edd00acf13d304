#include <sys/types.h>
#include <sys/socket.h>
#include <sys/un.h>
int
main(void)
{
	struct sockaddr_un	sun;

	sun.sun_len = sizeof(sun);
	return (sun.sun_len == sizeof(sun) ? 0 : 1);
}
