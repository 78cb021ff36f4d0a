"""A TCP relay in front of PostgreSQL that counts round trips: each time a client sends
after the server last spoke on that connection (or first) is one. The store behind it is
the real one; only the bytes are relayed."""

from __future__ import annotations

import contextlib
import socket
import threading


class RoundTripRelay:
    """Listens on 127.0.0.1 (``port``) and relays every connection to ``target``."""

    def __init__(self, target: tuple[str, int] = ("127.0.0.1", 5432)) -> None:
        self.target = target
        self.count = 0
        self._lock = threading.Lock()
        self._sock = socket.socket()
        self._sock.bind(("127.0.0.1", 0))
        self._sock.listen(64)
        self.port: int = self._sock.getsockname()[1]
        self._closed = False
        threading.Thread(target=self._accept, daemon=True).start()

    def url(self, url: str) -> str:
        """``url`` (a ``postgresql://`` URL of ``target``) through the relay."""
        host, port = self.target
        return url.replace(f"{host}:{port}", f"127.0.0.1:{self.port}", 1)

    def close(self) -> None:
        self._closed = True
        self._sock.close()

    def _accept(self) -> None:
        while not self._closed:
            try:
                client, _ = self._sock.accept()
            except OSError:
                return
            server = socket.create_connection(self.target)
            for s in (client, server):
                s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            last = ["server"]
            for args in ((client, server, "client", last), (server, client, "server", last)):
                threading.Thread(target=self._pump, args=args, daemon=True).start()

    def _pump(self, src: socket.socket, dst: socket.socket, who: str, last: list[str]) -> None:
        try:
            while data := src.recv(65536):
                with self._lock:
                    if who == "client" and last[0] == "server":
                        self.count += 1
                    last[0] = who
                dst.sendall(data)
        except OSError:
            pass
        finally:
            for s in (src, dst):
                with contextlib.suppress(OSError):
                    s.shutdown(socket.SHUT_RDWR)
            src.close()  # the other direction's pump closes dst
