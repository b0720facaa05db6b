/* fork_server.c - the lecture's fork-per-client server, assembled from its
 * slides ("Server code (get socket and initialize struct)", the bind and
 * getsockname fragment, "Function listen()", "Server communication" and
 * "Exchange data between client and server").
 *
 * The slides are fragments: changes made so they build and run as one
 * program are marked "PORT:"; nothing else is changed. Kept on purpose,
 * because they teach something:
 *  - the child prints nptr->sin_port WITHOUT ntohs(): on a little-endian
 *    machine a client port of 40000 (0x9c40) prints as 16540 (0x409c).
 *    The listen slide gets it right for the server's own port.
 *  - the child's "continue" inside do { } while (cnt != 0) leaves the loop
 *    (the condition is false), which is what the comment intends.
 *  - the parent never wait()s: every finished child stays a zombie until
 *    the server exits.
 *  - it prints its port before it calls listen(): a client started as soon
 *    as the port appears can be refused (sockcmp waits for LISTEN).
 *  - the server relies on the client's close (read() returning 0) to end;
 *    the client's "message with 0 bytes" sends nothing at all.
 * Built without -Werror (examples/lecture/CMakeLists.txt). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>     /* PORT: bzero(), strcpy() (not included on any slide) */
#include <strings.h>    /* PORT: bzero() */
#include <errno.h>      /* PORT: errno */
#include <unistd.h>     /* PORT: read(), write(), close(), fork(), getpid() */
#include <netdb.h>      /* PORT: struct hostent */
#include <arpa/inet.h>  /* PORT: inet_ntoa() */
#include <netinet/in.h>
#include <sys/socket.h>

/* PORT: "main (int argc, char *argv[])" relied on implicit int. */
int main (int argc, char *argv[])
{
    int rc,
        msgsock, sock,
        cnt;
    /* system call return code */
    /* server/listen socket descriptors */
    /* sockaddr length */
    /* number of bytes I/O */
    socklen_t adrlen; /* PORT: an int on the slide; the calls take a socklen_t */

    /* PORT: the slide splits each declaration over two columns
     * ("struct sockaddr_in" ... "sockname;"); joined here. */
    struct sockaddr_in sockname; /* Internet socket name */
    struct sockaddr_in *nptr;    /* ptr to get port number after bind*/
    struct sockaddr addr;        /* generic socket name */

    char buf[80];           /* I/O buffer for messages - could be larger*/
    /* You need to lookup in /etc/hosts file. */

    /* PORT: "struct hostent *hp, *gethostbyaddr();" redeclares
     * gethostbyaddr() without its prototype, which <netdb.h> now gives;
     * hp is never used by the server. */

/*get socket API*/

    if (( sock = socket(AF_INET, SOCK_STREAM, 0) ) < 0 ) {
        perror("Get server socket");
        exit(1);
    }
    /* Initialize the fields in the Internet socket name structure*/
    sockname.sin_family = AF_INET;          /* Internet address */
    sockname.sin_port = 0;                  /* System will assign port # */
    sockname.sin_addr.s_addr = INADDR_ANY;  /* "Wildcard" */

    /* PORT: bind() and getsockname() take a struct sockaddr *: casts added. */
    if (bind(sock, (struct sockaddr *)&sockname, sizeof(sockname)) < 0) {
        close(sock);                                /* always close socket */
        perror("network server bind");
        exit(2);
    }

/*Get the port number assigned to the Internet socket and
print it for use as arg to client*/

    /* PORT: the slide writes "adrflen" here and "adrlen" later: one variable. */
    adrlen = sizeof(addr);
    if ( ( rc = getsockname( sock, &addr, &adrlen ) ) < 0 )
    {
        perror("network server getsockname");
        close (sock);
        exit(3);
    }

/*tell the client the socket number.
The pointer nptr points to the generic address structure. */

    nptr = (struct sockaddr_in *) &addr;      /* port number */
    /* From "Function listen()"; "\n\Server" there is an unknown escape. */
    printf("\nServer has port number: %d\n", ntohs(nptr->sin_port));
    fflush(stdout); /* PORT: stdout is a pipe when a program starts the server */

/* listen for connections on a socket */

    listen (sock, 5);

    while (1) {
        if ( ( msgsock = accept (sock, 0, 0) ) < 0 ) {
            perror("network server accept");
            close (sock);
            exit(5);
        }

        /* Fork child process to handle client service request */

        if ( ( fork() ) == 0 ) {      /* Child process to handle communication*/
            int pid;
            pid = getpid();          /* PID of child process */
            close (sock);            /* Do not need listen socket in child. */
            /* Find out who the client is. */
            /* PORT: adrlen must hold the size of addr on entry; nptr
             * still points at addr from the getsockname() above. */
            adrlen = sizeof(addr);
            if ((rc = getpeername( msgsock, &addr, &adrlen )) < 0) {
                perror("network server getpeername");
                close(msgsock);
                exit(6);
            }
            printf("\n\tnetwork server %d:", pid);
            printf(" client socket from host %s\t has port number %d\n",inet_ntoa ( nptr -> sin_addr ),
                  nptr -> sin_port );
            fflush(stdout); /* PORT: see above */

            do {
                bzero(buf, sizeof(buf)); /* zero buf, BSD call. */
                if ((cnt = read (msgsock, buf, sizeof(buf))) < 0 ) {
                    perror("network server read");
                    close(msgsock);
                    exit(7);
                }
                else
                if (cnt == 0) { //close on 0 bytes received
                    printf("\nServer closing client connection\n");
                    close (msgsock);
                    continue; /* break out of loop */
                }
                else { /*Print the message received from client.
                        Send a message back response*/
                    printf("Server %d received your message\n",pid);
                    printf("The message from client is %s\n", buf);
                    bzero (buf, sizeof(buf)); /* zero buf, BSD. */
                    strcpy(buf, "\nI am server and this is my message\n");
                    write (msgsock, buf, sizeof(buf));
                } /* end of message-print else */
                fflush(stdout); /* PORT: see above */
            }
            /* end of do loop statement */

            while (cnt != 0); /* end of do loop*/
            fflush(stdout); /* PORT: see above */
            exit(0); /* Exit child process */

        } /* End of child */

        else /* Parent process */
            close(msgsock); /* Parent doesn't need socket. */
    } /* end of while */
}
