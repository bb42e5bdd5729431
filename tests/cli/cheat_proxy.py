"""A dishonest dealer's network, for tests/cli/ceremony_e2e.sh: forwards the
key-holder CLI's requests to the portal, but flips one bit of the share it
deals to holder VICTIM, so that the share no longer opens (protocol §9.4).
Usage: cheat_proxy.py LISTEN_PORT PORTAL_PORT VICTIM"""
import base64
import http.server
import json
import sys
import urllib.error
import urllib.request

listen, portal, victim = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])


def b64d(s):
    return base64.urlsafe_b64decode(s + "=" * (-len(s) % 4))


def b64e(b):
    return base64.urlsafe_b64encode(b).decode().rstrip("=")


class Proxy(http.server.BaseHTTPRequestHandler):
    def forward(self, body=None):
        headers = {k: v for k, v in self.headers.items()
                   if k.lower() in ("authorization", "content-type", "accept")}
        req = urllib.request.Request(f"http://127.0.0.1:{portal}{self.path}", data=body,
                                     headers=headers, method=self.command)
        try:
            with urllib.request.urlopen(req) as r:
                status, data = r.status, r.read()
        except urllib.error.HTTPError as e:
            status, data = e.code, e.read()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        self.forward()

    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        if self.path == "/api/v1/ceremonie/distribution":
            dealing = json.loads(body)
            share = dealing["shares"][victim - 1]
            box = bytearray(b64d(share["box"]))
            box[0] ^= 1
            share["box"] = b64e(bytes(box))
            body = json.dumps(dealing).encode()
        self.forward(body)

    def log_message(self, *args):
        pass


http.server.HTTPServer(("127.0.0.1", listen), Proxy).serve_forever()
