# simple_client.py - the lecture's "Simple Python Socket Client" (Python 2
# on the slide), ported to Python 3. Changes are marked "PORT:".
import socket


client_socket = socket.socket(socket.AF_INET, socket.SOCK_STREAM)

client_socket.connect(("localhost", 1234))

data = "hello server"
# PORT: sockets carry bytes in Python 3.
client_socket.send(data.encode())
data = client_socket.recv(512)
# PORT: print is a function; decode the bytes for printing.
print("from server: ", data.decode("utf-8", "replace"))

client_socket.close()
