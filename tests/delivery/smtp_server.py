"""A tiny SMTP server for the delivery tests (127.0.0.1 only).

Usage: python3 smtp_server.py OUT_DIR [PORT]
Listens on PORT (default: a free one), prints the port on stdout, then stores every message
as OUT_DIR/msg-N.eml (envelope as X-Envelope-From / X-Envelope-To lines, then
the message as received) and the number of EHLO commands in OUT_DIR/ehlo-count.
Recipients whose local part starts with "reject" are refused with a 550.
"""
import asyncio
import os
import sys

from aiosmtpd.smtp import SMTP


class Handler:
    def __init__(self, out):
        self.out = out
        self.messages = 0
        self.ehlo = 0

    async def handle_EHLO(self, server, session, envelope, hostname, responses):
        session.host_name = hostname
        self.ehlo += 1
        with open(os.path.join(self.out, "ehlo-count"), "w") as f:
            f.write(str(self.ehlo))
        return responses

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.startswith("reject"):
            return "550 5.1.1 Unknown recipient"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.messages += 1
        base = os.path.join(self.out, "msg-%d" % self.messages)
        with open(base + ".part", "wb") as f:
            f.write(("X-Envelope-From: %s\r\n" % envelope.mail_from).encode())
            for rcpt in envelope.rcpt_tos:
                f.write(("X-Envelope-To: %s\r\n" % rcpt).encode())
            f.write(envelope.original_content or envelope.content)
        os.rename(base + ".part", base + ".eml")
        return "250 OK"


async def main():
    handler = Handler(sys.argv[1])
    loop = asyncio.get_running_loop()
    port = int(sys.argv[2]) if len(sys.argv) > 2 else 0
    server = await loop.create_server(
        lambda: SMTP(handler, decode_data=False), host="127.0.0.1", port=port,
        reuse_address=True)
    print(server.sockets[0].getsockname()[1], flush=True)
    await server.serve_forever()


if __name__ == "__main__":
    asyncio.run(main())
