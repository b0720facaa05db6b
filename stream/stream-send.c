/* stream-send: write numbered messages on a stream (tcp, tcp6, unix-stream). */
#include "stream.h"

int main(int argc, char **argv)
{
	return sc_send_main(argc, argv, SC_KIND_STREAM, sc_stream_send);
}
