/* datagram-send: send numbered datagrams (udp, udp6, unix-dgram, unix-seqpacket). */
#include "datagram.h"

int main(int argc, char **argv)
{
	return sc_send_main(argc, argv, SC_KIND_DATAGRAM, sc_dgram_send);
}
