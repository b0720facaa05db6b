/* simple_server.c - the lecture's "Simple Socket Server", as on the slide.
 *
 * Changes made so it builds and runs today are marked "PORT:"; nothing
 * else is changed. Kept on purpose, because they teach something:
 *  - bind()'s result is ignored: if port 1234 is taken (another server,
 *    or TIME_WAIT from the previous run) the server carries on with an
 *    unbound socket; listen() then binds it to a random ephemeral port
 *    and the client never finds it (see `sockcmp run ports`).
 *  - one read() is taken to be one message; the server closes first, so
 *    port 1234 sits in TIME_WAIT for 60 s after every run.
 * Built without -Werror (examples/lecture/CMakeLists.txt). */
#include <stdio.h>
#include <stdlib.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h> /* PORT: read(), write(), close() are declared here */

int main() {

    int server_socket = socket(AF_INET, SOCK_STREAM, 0);

    struct sockaddr_in server_address, client_address;
    server_address.sin_family = AF_INET;
    server_address.sin_addr.s_addr = INADDR_ANY;
    server_address.sin_port = htons(1234);
    bind(server_socket,(struct sockaddr *)&server_address,sizeof(struct sockaddr_in));

    listen(server_socket, 5);

    socklen_t l = sizeof(struct sockaddr_in); /* client address length */
    int client_socket = accept(server_socket, (struct sockaddr *) &client_address, &l);

    char data[512] = { '\0' };
    int message_length = read(client_socket, data, 512);
    printf("from client: %s\n", data);
    message_length = sprintf(data, "back to ya client");
    message_length = write(client_socket, data, message_length);

    close(client_socket);

    return 0;
}
