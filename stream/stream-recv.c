/* stream-recv: receive a stream (tcp, tcp6, unix-stream) and record every read. */
#include "stream.h"

int main(int argc, char **argv)
{
	return sc_recv_main(argc, argv, SC_KIND_STREAM, sc_stream_recv);
}
