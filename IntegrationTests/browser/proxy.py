"""A TCP proxy on loopback that can go silent, to play a network that drops without closing anything."""
from __future__ import annotations

import socket
import threading


class SilentProxy:
    """Forwards 127.0.0.1:port to a target port. `silence(direction)` makes the connections open now
    swallow what flows that way ("down": server to browser, "both"), with no FIN or RST: the sockets
    stay open, as on a dead Wi-Fi. Connections opened later forward normally."""

    def __init__(self):
        self.listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(64)
        self.port = self.listener.getsockname()[1]
        self.target = 0
        self.lock = threading.Lock()
        self.pairs: list[dict] = []
        self.closed = False
        threading.Thread(target=self._accept, daemon=True).start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def silence(self, direction: str = "both") -> None:
        with self.lock:
            for pair in self.pairs:
                pair["down"] = False
                if direction == "both":
                    pair["up"] = False

    def reset(self) -> None:
        """Closes every connection open now (a browser would otherwise reuse a silenced keep-alive one)."""
        with self.lock:
            pairs, self.pairs = self.pairs, []
        for pair in pairs:
            pair["up"] = pair["down"] = False
            for s in pair["socks"]:
                try:
                    s.shutdown(socket.SHUT_RDWR)
                    s.close()
                except OSError:
                    pass

    def _accept(self) -> None:
        while not self.closed:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            try:
                upstream = socket.create_connection(("127.0.0.1", self.target))
            except OSError:
                client.close()
                continue
            pair = {"up": True, "down": True, "socks": (client, upstream)}
            with self.lock:
                self.pairs.append(pair)
            threading.Thread(target=self._pump, args=(client, upstream, pair, "up"), daemon=True).start()
            threading.Thread(target=self._pump, args=(upstream, client, pair, "down"), daemon=True).start()

    def _pump(self, src: socket.socket, dst: socket.socket, pair: dict, direction: str) -> None:
        try:
            while True:
                data = src.recv(65536)
                if not data:
                    break
                if pair[direction]:
                    dst.sendall(data)
        except OSError:
            pass
        if pair[direction]:  # a silenced connection never closes the other side
            for s in pair["socks"]:
                try:
                    s.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass

    def close(self) -> None:
        self.closed = True
        try:
            self.listener.close()
        except OSError:
            pass
        with self.lock:
            for pair in self.pairs:
                for s in pair["socks"]:
                    try:
                        s.close()
                    except OSError:
                        pass
