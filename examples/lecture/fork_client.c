/* fork_client.c - the lecture's client for the fork server, assembled
 * from its slides ("Client programming", "Client code to establish the
 * socket", "Client can get the host name", "Client established the
 * communication"). Usage: lecture-fork-client HOST PORT.
 *
 * Changes made so the fragments build and run as one program are marked
 * "PORT:"; nothing else is changed. Kept on purpose:
 *  - write(sock, buf, sizeof(buf)) sends all 80 bytes of the buffer, the
 *    text and the zeros after it;
 *  - "Send a message with 0 bytes to end the conversation": write(sock,
 *    buf, 0) on a stream socket sends nothing; it is close() that ends it
 *    (see `sockcmp run zero-length`);
 *  - argv is used without checking argc.
 * Built without -Werror (examples/lecture/CMakeLists.txt). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>     /* PORT: strcpy() */
#include <strings.h>    /* PORT: bzero(), bcopy() */
#include <errno.h>      /* PORT: errno */
#include <unistd.h>     /* PORT: read(), write(), close() */
#include <netdb.h>      /* PORT: gethostbyname(), struct hostent */
#include <arpa/inet.h>  /* PORT: htons(), ntohl() */
#include <netinet/in.h>
#include <sys/socket.h>

/* PORT: the slides show only the body "{ ... }" of main. */
int main (int argc, char *argv[])
{
    int sock,                      /* socket descriptor */
        val,                         /* scratch variable */
        cnt;                         /* number of bytes I/O messages*/

    struct sockaddr_in client;     /* Internet socket name (addr) */
    struct sockaddr_in *nptr;      /* pointer to get port number */

    char buf[80];                  /* I/O buffer, kind of small , could be larger*/

    /* For lookup in /etc/hosts file. */
    /* PORT: "struct hostent *hp, *gethostbyaddr();" redeclares
     * gethostbyaddr() without its prototype, which <netdb.h> now gives. */
    struct hostent *hp;

    if (( sock = socket(AF_INET, SOCK_STREAM, 0)) < 0 ) {
        perror("network client");
        exit(2);
    }
    /* Convert user-supplied port number to integer. */

    client.sin_port = htons( atoi(argv[2]) );           /* Server port number */
    client.sin_family = AF_INET;                        /* Internet domain */

    hp = gethostbyname (argv[1]);

    /* It is good to know to whom we are connected to */
    if ( hp == NULL ) {
        perror("network client");
        close (sock);
        exit(3);
    }
    else {
        printf("\tThe official host name is %s\n", hp -> h_name);
        /* PORT: %lx needs an unsigned long; ntohl() gives 32 bits. */
        printf("\tThe first host address is %lx\n",
              (unsigned long) ntohl ( * (int * ) hp -> h_addr_list[0] ) );
        printf("\tAlias names for the host are:\n");

        while ( *hp -> h_aliases )           //get all aliases
            printf( "\t\t%s\n", *hp -> h_aliases++ );
    }

    bcopy ( hp -> h_addr_list[0], &client.sin_addr.s_addr,
              hp -> h_length ); /* save the first name */

    /* PORT: connect() takes a struct sockaddr *: cast added. */
    if ( ( connect ( sock, (struct sockaddr *) &client, sizeof (client) ) ) < 0 ) {
        perror ("network client on connect");
        close (sock);
        exit(4);
    }
    /* Exchange data with server. Clear buffer bytes first. */

    bzero ( buf, sizeof( buf) ); /* zero buffer, BSD. */
    strcpy ( buf, "Hello server, please respond to client!" );
    write ( sock, buf, sizeof(buf) );

    /* Now read message sent back by server. */

    if ( ( cnt = read (sock, buf, sizeof(buf) ) ) < 0 ) {
        perror("network client on read");
        close(sock);
        exit(5);
    }
    else
        printf("I am client and I have received this message %s\n", buf);
        /* Send a message with 0 bytes to end the conversation. */
    bzero ( buf, sizeof( buf) ); /* zero buffer, BSD. */
    write ( sock, buf, 0 );
    close (sock);
    exit(0);
}
