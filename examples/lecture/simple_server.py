# simple_server.py - the lecture's "Simple Python Socket Server" (Python 2 on
# the slide), ported to Python 3. Changes are marked "PORT:"; nothing else
# is changed. Like the C server it ignores nothing explicitly, but an
# exception from bind() (port in use) ends it with a traceback.
import socket

server_socket = socket.socket(socket.AF_INET, socket.SOCK_STREAM)

# PORT: bind() takes one (host, port) tuple; bind("", 1234) is a TypeError
# in both Python 2 and 3.
server_socket.bind(("", 1234))

server_socket.listen(5)

client_socket, address = server_socket.accept()

data = client_socket.recv(512)
# PORT: print is a function; recv() returns bytes, decoded for printing
# (the slide would print b'hello server').
print("from client: ", data.decode("utf-8", "replace"))
data = "back to ya client"
# PORT: sockets carry bytes in Python 3.
client_socket.send(data.encode())

client_socket.close()
