/* datagram-recv: receive datagrams (udp, udp6, unix-dgram, unix-seqpacket)
 * and record every receive call. */
#include "datagram.h"

int main(int argc, char **argv)
{
	return sc_recv_main(argc, argv, SC_KIND_DATAGRAM, sc_dgram_recv);
}
