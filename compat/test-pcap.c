/* configure: does libpcap link, and can it compile a filter? */
#include <pcap/pcap.h>

int
main(void)
{
	struct bpf_program	 prog;
	pcap_t			*p;

	if ((p = pcap_open_dead(DLT_EN10MB, 65535)) == NULL)
		return (1);
	if (pcap_compile(p, &prog, "icmp", 1, PCAP_NETMASK_UNKNOWN) == -1)
		return (1);
	pcap_freecode(&prog);
	pcap_close(p);
	return (0);
}
