"""Payment servers that hang: a socket that accepts and never answers, and a proxy that passes requests on
to the real server but never answers the ones whose path ends as told."""

import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import requests


class SilentServer:
    """Listens on a free port, accepts every connection and never sends a byte; ``accepted`` counts them."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.sock.settimeout(0.05)
        self.url = f"http://127.0.0.1:{self.sock.getsockname()[1]}"
        self.connections, self.stopped = [], threading.Event()
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()

    @property
    def accepted(self):
        return len(self.connections)

    def _accept(self):
        while not self.stopped.is_set():
            try:
                self.connections.append(self.sock.accept()[0])
            except OSError:  # a timeout (look at ``stopped`` again), or the socket closed by :meth:`close`
                continue

    def close(self):
        self.stopped.set()
        self.thread.join(timeout=5)
        for conn in self.connections:
            conn.close()
        self.sock.close()


class HangingProxy(ThreadingHTTPServer):
    """Passes each request on to ``upstream``; a POST whose path ends with ``hang_on`` reaches the server but
    its answer is never sent back (the connection stays open until :meth:`release`)."""

    daemon_threads = True

    def __init__(self, upstream, hang_on):
        super().__init__(("127.0.0.1", 0), _ProxyHandler)
        self.upstream, self.hang_on, self.released = upstream, hang_on, threading.Event()
        self.url = f"http://127.0.0.1:{self.server_address[1]}"
        threading.Thread(target=self.serve_forever, args=(0.02,), daemon=True).start()

    def release(self):
        self.released.set()
        self.shutdown()
        self.server_close()


class _ProxyHandler(BaseHTTPRequestHandler):
    def do_GET(self):
        self._pass_on()

    def do_POST(self):
        self._pass_on()

    def _pass_on(self):
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        headers = {k: v for k, v in self.headers.items() if k.lower() not in ("host", "content-length")}
        answer = requests.request(self.command, self.server.upstream + self.path, data=body or None, headers=headers,
                                  timeout=10)
        if self.command == "POST" and self.path.split("?")[0].endswith(self.server.hang_on):
            self.server.released.wait(60)
            return
        self.send_response(answer.status_code)
        self.send_header("Content-Type", answer.headers.get("Content-Type", "application/json"))
        self.send_header("Content-Length", str(len(answer.content)))
        self.end_headers()
        self.wfile.write(answer.content)

    def log_message(self, format, *args):
        pass

