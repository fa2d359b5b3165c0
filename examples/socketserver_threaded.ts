// Copyright the pysocket authors. MIT license.
/**
 * The "Asynchronous Mixins" example of Python's `socketserver`
 * documentation, ported line by line: a `ThreadingMixIn` TCP server on
 * port 0 and three clients. JS has no threads: the server loop and each
 * request are tasks, which this port names `Task-1`, `Task-2`, … where
 * Python prints its threads' names. After the documentation's three
 * clients one after the other, three more connect at once: each request is
 * a task of its own, so none waits for another.
 *
 * ```sh
 * deno run --allow-net=localhost,127.0.0.1 examples/socketserver_threaded.ts
 * ```
 *
 * It prints, as the Python does (where Python 3.11 names threads
 * `Thread-1 (serve_forever)` and `Thread-2 (process_request_thread)`):
 *
 * ```text
 * Server loop running in task: Task-1
 * Received: Task-2: Hello World 1
 * Received: Task-3: Hello World 2
 * Received: Task-4: Hello World 3
 * ```
 *
 * and then three `Received:` lines for the clients that run at once, in
 * the order their answers come.
 *
 * The Python:
 *
 * ```python
 * import socket
 * import threading
 * import socketserver
 *
 * class ThreadedTCPRequestHandler(socketserver.BaseRequestHandler):
 *
 *     def handle(self):
 *         data = str(self.request.recv(1024), 'ascii')
 *         cur_thread = threading.current_thread()
 *         response = bytes("{}: {}".format(cur_thread.name, data), 'ascii')
 *         self.request.sendall(response)
 *
 * class ThreadedTCPServer(socketserver.ThreadingMixIn, socketserver.TCPServer):
 *     pass
 *
 * def client(ip, port, message):
 *     with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
 *         sock.connect((ip, port))
 *         sock.sendall(bytes(message, 'ascii'))
 *         response = str(sock.recv(1024), 'ascii')
 *         print("Received: {}".format(response))
 *
 * if __name__ == "__main__":
 *     # Port 0 means to select an arbitrary unused port
 *     HOST, PORT = "localhost", 0
 *
 *     server = ThreadedTCPServer((HOST, PORT), ThreadedTCPRequestHandler)
 *     with server:
 *         ip, port = server.server_address
 *
 *         # Start a thread with the server -- that thread will then start one
 *         # more thread for each request
 *         server_thread = threading.Thread(target=server.serve_forever)
 *         # Exit the server thread when the main thread terminates
 *         server_thread.daemon = True
 *         server_thread.start()
 *         print("Server loop running in thread:", server_thread.name)
 *
 *         client(ip, port, "Hello World 1")
 *         client(ip, port, "Hello World 2")
 *         client(ip, port, "Hello World 3")
 *
 *         server.shutdown()
 * ```
 *
 * @module
 */

import * as socket from "@pysocket/socket";
import * as socketserver from "@pysocket/socket/socketserver";

/** Python's thread names, for tasks: `Task-1`, `Task-2`, … */
let tasks = 0;
function new_task_name(): string {
  return `Task-${++tasks}`;
}

const ascii = {
  encode: (s: string) => new TextEncoder().encode(s),
  decode: (b: Uint8Array) => new TextDecoder("ascii").decode(b),
};

class ThreadedTCPRequestHandler
  extends socketserver.BaseRequestHandler<socket.Socket> {
  override async handle() {
    const data = ascii.decode(await this.request.recv(1024));
    // Each request is a task of its own: it has the next name.
    const cur_thread = { name: new_task_name() };
    const response = ascii.encode(`${cur_thread.name}: ${data}`);
    await this.request.sendall(response);
  }
}

class ThreadedTCPServer
  extends socketserver.ThreadingMixIn(socketserver.TCPServer) {}

async function client(ip: string, port: number, message: string) {
  using sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM);
  await sock.connect([ip, port]);
  await sock.sendall(ascii.encode(message));
  const response = ascii.decode(await sock.recv(1024));
  console.log(`Received: ${response}`);
}

// Port 0 means to select an arbitrary unused port
const [HOST, PORT] = ["localhost", 0];

const server = new ThreadedTCPServer([HOST, PORT], ThreadedTCPRequestHandler);
{
  await using _ = server;
  const [ip, port] = server.server_address;

  // Start a task with the server -- that task will then start one
  // more task for each request
  const server_thread = { name: new_task_name(), done: server.serve_forever() };
  console.log("Server loop running in task:", server_thread.name);

  await client(ip, port, "Hello World 1");
  await client(ip, port, "Hello World 2");
  await client(ip, port, "Hello World 3");

  // The same, three clients at once: no request waits for another.
  await Promise.all([
    client(ip, port, "Hello World 4"),
    client(ip, port, "Hello World 5"),
    client(ip, port, "Hello World 6"),
  ]);

  await server.shutdown();
  await server_thread.done;
}
