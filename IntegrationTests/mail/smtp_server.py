#!/usr/bin/env python3
"""A real SMTP server for Backchannel's tests: aiosmtpd on loopback, saving every message it accepts.

Prints `READY <port>` on stdout once it listens (use --port 0 for a free port), then serves until
SIGTERM/SIGINT. Each accepted message is written to MAILDIR as NNNNNN.eml (the bytes as received) with
NNNNNN.json beside it ({"from": ..., "to": [...], "tls": bool, "auth": login or null}), the .json last, so
a reader that sees the .json sees a complete .eml.

  --tls-cert/--tls-key PEM    offer STARTTLS (or, with --implicit-tls, speak TLS from the first byte)
  --auth USER:PASSWORD        require AUTH (PLAIN or LOGIN) over TLS before MAIL
  --reject ADDRESS=CODE       answer RCPT TO:<ADDRESS> with CODE (e.g. 550), repeatable
  --tempfail N                answer the first N DATA transactions with 451
  --no-pipelining             do not advertise PIPELINING
"""
import argparse
import asyncio
import json
import os
import signal
import ssl
import sys

from aiosmtpd.smtp import SMTP, AuthResult


class Handler:
    def __init__(self, args):
        self.maildir = args.maildir
        self.rejects = {}
        for item in args.reject:
            address, _, code = item.rpartition("=")
            self.rejects[address.lower()] = int(code)
        self.tempfail = args.tempfail
        self.pipelining = not args.no_pipelining
        self.count = len([n for n in os.listdir(self.maildir) if n.endswith(".json")])

    async def handle_EHLO(self, server, session, envelope, hostname, responses):
        session.host_name = hostname
        if self.pipelining:
            responses.insert(len(responses) - 1, "250-PIPELINING")
        return responses

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        code = self.rejects.get(address.lower())
        if code:
            kind = "5.1.1" if code >= 500 else "4.2.0"
            return f"{code} {kind} <{address}> refused by the test server"
        envelope.rcpt_tos.append(address)
        return "250 2.1.5 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.tempfail > 0:
            self.tempfail -= 1
            return "451 4.3.0 try again later (test server)"
        self.count += 1
        stem = os.path.join(self.maildir, f"{self.count:06d}")
        with open(stem + ".eml", "wb") as f:
            f.write(envelope.original_content or envelope.content)
        meta = {"from": envelope.mail_from, "to": envelope.rcpt_tos,
                "tls": session.ssl is not None,
                "auth": session.auth_data.login.decode() if session.auth_data is not None else None}
        with open(stem + ".json.tmp", "w") as f:
            json.dump(meta, f)
        os.rename(stem + ".json.tmp", stem + ".json")
        return f"250 2.0.0 queued as {self.count:06d}"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--maildir", required=True)
    parser.add_argument("--tls-cert")
    parser.add_argument("--tls-key")
    parser.add_argument("--implicit-tls", action="store_true")
    parser.add_argument("--auth")
    parser.add_argument("--reject", action="append", default=[])
    parser.add_argument("--tempfail", type=int, default=0)
    parser.add_argument("--no-pipelining", action="store_true")
    args = parser.parse_args()
    os.makedirs(args.maildir, exist_ok=True)

    context = None
    if args.tls_cert:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(args.tls_cert, args.tls_key)

    def authenticator(server, session, envelope, mechanism, auth_data):
        user, _, password = args.auth.partition(":")
        ok = auth_data.login.decode() == user and auth_data.password.decode() == password
        return AuthResult(success=ok, handled=False, auth_data=auth_data)

    handler = Handler(args)
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)

    def factory():
        return SMTP(handler, hostname="smtp.test", loop=loop,
                    tls_context=None if args.implicit_tls else context,
                    require_starttls=bool(context) and not args.implicit_tls and bool(args.auth),
                    auth_required=bool(args.auth), auth_require_tls=True,
                    authenticator=authenticator if args.auth else None)

    server = loop.run_until_complete(loop.create_server(
        factory, host=args.host, port=args.port, ssl=context if args.implicit_tls else None))
    port = server.sockets[0].getsockname()[1]
    print(f"READY {port}", flush=True)
    stop = asyncio.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    loop.run_until_complete(stop.wait())
    server.close()
    # Open sessions are simply dropped, as when a real server goes down.
    sys.stdout.flush()
    os._exit(0)


if __name__ == "__main__":
    sys.exit(main())
