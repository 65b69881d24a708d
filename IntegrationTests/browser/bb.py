"""Helpers for the browser tests: a real `backchannel serve`, the HTTP API, a tiny WebSocket client.

Standard library only, so the suite needs nothing but selenium and pytest from PyPI.
"""
from __future__ import annotations

import base64
import datetime as dt
import json
import os
import re
import signal
import socket
import struct
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
import uuid

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
ADMIN_TOKEN = "browser-tests-admin-token-" + uuid.uuid4().hex
LISTEN_RE = re.compile(r"listening on http://127\.0\.0\.1:(\d+)")


def binary() -> str:
    path = os.environ.get("BACKCHANNEL_BINARY")
    if not path:
        raise RuntimeError("BACKCHANNEL_BINARY is not set (IntegrationTests/browser/run sets it)")
    return path


class Server:
    """One `backchannel serve` on loopback with its own data directory, stopped by pid."""

    def __init__(self, env: dict | None = None):
        self.tmp = tempfile.TemporaryDirectory(prefix="backchannel-browser-")
        self.data_dir = os.path.join(self.tmp.name, "data")
        self.extra_env = env or {}
        self.port = 0
        self.proc: subprocess.Popen | None = None
        self.log_path = ""
        self.starts = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 20.0) -> None:
        assert self.proc is None
        self.starts += 1
        self.log_path = os.path.join(self.tmp.name, f"server-{self.starts}.log")
        env = dict(os.environ)
        env["BACKCHANNEL_ADMIN_TOKEN"] = ADMIN_TOKEN
        # Every page registers from 127.0.0.1; a module testing the throttle passes its own limit.
        env["BACKCHANNEL_REGISTRATION_RATE_LIMIT"] = "1000000"
        env.update(self.extra_env)
        log = open(self.log_path, "wb")
        args = [binary(), "serve", "--port", str(self.port), "--data-dir", self.data_dir,
                "--static-dir", os.path.join(ROOT, "static"), "--config", os.path.join(ROOT, "config", "backchannel.json")]
        self.proc = subprocess.Popen(args, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
                                     stdin=subprocess.DEVNULL)
        log.close()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with open(self.log_path, "r", errors="replace") as f:
                m = LISTEN_RE.search(f.read())
            if m:
                self.port = int(m.group(1))
                return
            if self.proc.poll() is not None:
                break
            time.sleep(0.05)
        out = open(self.log_path, errors="replace").read()
        self.stop()
        raise RuntimeError(f"backchannel serve did not start:\n{out}")

    def kill9(self) -> None:
        """SIGKILL: no clean shutdown, as in a crash."""
        if self.proc is not None:
            os.kill(self.proc.pid, signal.SIGKILL)
            self.proc.wait(timeout=10)
            self.proc = None

    def stop(self) -> None:
        if self.proc is not None:
            os.kill(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.kill(self.proc.pid, signal.SIGKILL)
                self.proc.wait(timeout=10)
            self.proc = None

    def close(self) -> None:
        self.stop()
        self.tmp.cleanup()

    # ------------------------------------------------------------------ HTTP

    def request(self, method: str, path: str, body=None, token: str | None = None, raw: bool = False):
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(self.url + path, data=data, method=method)
        if body is not None:
            req.add_header("Content-Type", "application/json")
        if token:
            req.add_header("Authorization", f"Bearer {token}")
        try:
            with urllib.request.urlopen(req, timeout=10) as res:
                payload = res.read()
                status, headers = res.status, res.headers
        except urllib.error.HTTPError as e:
            payload = e.read()
            status, headers = e.code, e.headers
        if raw:
            return status, headers, payload
        return status, (json.loads(payload) if payload else None)

    def api(self, method: str, path: str, body=None, token: str | None = None, expect=(200, 201)):
        status, data = self.request(method, path, body, token)
        assert status in expect, f"{method} {path} → {status} {data}"
        return data

    def create_event(self, slug: str, capacity: int = 50, **extra) -> dict:
        now = dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
        body = {
            "slug": slug,
            "title": extra.pop("title", f"Browser test {slug}"),
            "description": extra.pop("description", "An event made by the browser tests."),
            "startsAt": (now - dt.timedelta(minutes=5)).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "endsAt": (now + dt.timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "capacity": capacity,
            **extra,
        }
        return self.api("POST", "/api/events", body, token=ADMIN_TOKEN, expect=(201,))

    def register(self, slug: str, name: str, email: str | None = None) -> dict:
        email = email or f"{re.sub(r'[^a-z0-9]', '', name.lower()) or 'x'}-{uuid.uuid4().hex[:8]}@example.com"
        return self.api("POST", f"/api/events/{slug}/registrations", {"name": name, "email": email})

    def event(self, slug: str) -> dict:
        return self.api("GET", f"/api/events/{slug}")

    def live(self, slug: str, **join) -> "LiveClient":
        return LiveClient(self.port, slug, **join)


# ---------------------------------------------------------------------- WebSocket


class LiveClient:
    """A minimal RFC 6455 client for `/api/events/{slug}/live` (text frames, no extensions)."""

    def __init__(self, port: int, slug: str, timeout: float = 10.0, **join):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=timeout)
        key = base64.b64encode(os.urandom(16)).decode()
        self.sock.sendall((
            f"GET /api/events/{slug}/live HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
            f"Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: {key}\r\n"
            f"Sec-WebSocket-Version: 13\r\n\r\n").encode())
        self.buf = b""
        while b"\r\n\r\n" not in self.buf:
            chunk = self.sock.recv(4096)
            if not chunk:
                raise ConnectionError("closed during the handshake")
            self.buf += chunk
        head, self.buf = self.buf.split(b"\r\n\r\n", 1)
        status = head.split(b"\r\n", 1)[0]
        if b" 101 " not in status + b" ":
            raise ConnectionError(f"handshake refused: {head.decode(errors='replace')}")
        self.inbox: list[dict] = []
        self.send({"type": "join", **{k: v for k, v in join.items() if v is not None}})
        self.welcome = self.wait_for(lambda m: m["type"] in ("welcome", "error"))
        if self.welcome["type"] != "welcome":
            raise ConnectionError(f"join refused: {self.welcome}")

    def send(self, obj: dict) -> None:
        payload = json.dumps(obj).encode()
        mask = os.urandom(4)
        n = len(payload)
        if n < 126:
            header = struct.pack("!BB", 0x81, 0x80 | n)
        elif n < 65536:
            header = struct.pack("!BBH", 0x81, 0x80 | 126, n)
        else:
            header = struct.pack("!BBQ", 0x81, 0x80 | 127, n)
        masked = bytes(b ^ mask[i % 4] for i, b in enumerate(payload))
        self.sock.sendall(header + mask + masked)

    def _read(self, n: int) -> bytes:
        while len(self.buf) < n:
            chunk = self.sock.recv(65536)
            if not chunk:
                raise ConnectionError("connection closed")
            self.buf += chunk
        out, self.buf = self.buf[:n], self.buf[n:]
        return out

    def _frame(self) -> dict | None:
        b0, b1 = self._read(2)
        opcode, n = b0 & 0x0F, b1 & 0x7F
        if n == 126:
            (n,) = struct.unpack("!H", self._read(2))
        elif n == 127:
            (n,) = struct.unpack("!Q", self._read(8))
        payload = self._read(n)
        if opcode == 0x1:
            return json.loads(payload)
        if opcode == 0x8:
            raise ConnectionError(f"server closed: {payload!r}")
        if opcode == 0x9:  # ping → pong
            mask = os.urandom(4)
            self.sock.sendall(struct.pack("!BB", 0x8A, 0x80 | len(payload)) + mask
                              + bytes(b ^ mask[i % 4] for i, b in enumerate(payload)))
        return None

    def wait_for(self, pred, timeout: float = 10.0) -> dict:
        for i, m in enumerate(self.inbox):
            if pred(m):
                return self.inbox.pop(i)
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError(f"no matching message; inbox: {self.inbox[-10:]}")
            self.sock.settimeout(left)
            m = self._frame()
            if m is None:
                continue
            if pred(m):
                return m
            self.inbox.append(m)

    def comment(self, text: str, reply_to: int | None = None) -> int:
        """Posts a comment and returns its id once the server acknowledged it (durably stored)."""
        nonce = uuid.uuid4().hex
        msg = {"type": "comment", "text": text, "nonce": nonce}
        if reply_to is not None:
            msg["replyTo"] = reply_to
        self.send(msg)
        m = self.wait_for(lambda m: m.get("nonce") == nonce and m["type"] in ("ack", "error"))
        assert m["type"] == "ack", f"comment refused: {m}"
        return m["id"]

    def close(self) -> None:
        try:
            self.sock.sendall(struct.pack("!BB", 0x88, 0x82) + b"\0\0\0\0" + struct.pack("!H", 1000))
        except OSError:
            pass
        self.sock.close()
