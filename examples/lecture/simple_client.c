/* simple_client.c - the lecture's "Simple Socket Client", as on the slide.
 *
 * Changes made so it builds and runs today are marked "PORT:"; nothing
 * else is changed. Kept on purpose: no call's result is checked (if
 * getaddrinfo fails, server_address stays NULL and the client crashes),
 * and one read() is taken to be the whole reply. printf("%s") of data
 * relies on the buffer being zero-filled and the reply shorter than 512.
 * Built without -Werror (examples/lecture/CMakeLists.txt). */
#include <stdio.h>
#include <stdlib.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <netdb.h>  /* PORT: struct addrinfo, getaddrinfo() */
#include <string.h> /* PORT: memset() */
#include <unistd.h> /* PORT: read(), write(), close() */

int main() {
    int client_socket = socket(AF_INET, SOCK_STREAM, 0);

    struct addrinfo *server_address = NULL;
    struct addrinfo hints;
    memset(&hints, 0, sizeof(struct addrinfo));
    hints.ai_family = AF_INET;
    hints.ai_socktype = SOCK_STREAM;
    getaddrinfo("localhost", "1234", &hints, &server_address);
    connect(client_socket, server_address->ai_addr, server_address->ai_addrlen);

    char data[512] = {'\0'};
    int message_length = sprintf(data, "hello server");
    message_length = write(client_socket, data, message_length);
    message_length = read(client_socket, data, 512);
    printf("from server: %s\n", data);

    close(client_socket);

    return 0;
}
