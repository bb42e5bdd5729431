#!/usr/bin/env bash
# `isoloir serve` over TLS: a self-signed certificate, HTTPS answers with
# HSTS and __Host- Secure cookies, plain HTTP refused; professions de foi
# served from --documents only when the election file names them.
# Usage: tests/web/serve_tls.sh ISOLOIR_BINARY SOURCE_DIR
set -euo pipefail
isoloir=$(realpath "$1") src=$(cd "$2" && pwd)
work=$(mktemp -d)
trap 'kill $pid 2>/dev/null || true; rm -rf "$work"' EXIT
fail() { echo "serve_tls: FAIL: $*" >&2; exit 1; }

bash "$src/scripts/portal-fixture.sh" "$isoloir" "$work/data" 3 > /dev/null
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 \
  -subj "/CN=127.0.0.1" -addext "subjectAltName=IP:127.0.0.1" \
  -keyout "$work/key.pem" -out "$work/cert.pem" 2> /dev/null
mkdir -p "$work/docs/professions"
printf '%%PDF-1.4\n%% profession de foi\n' > "$work/docs/professions/csa-min-snad.pdf"
echo "secret" > "$work/docs/not-listed.pdf"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
"$isoloir" serve --data "$work/data" --port "$port" --tls-cert "$work/cert.pem" \
  --tls-key "$work/key.pem" --documents "$work/docs" --assets "$src/web/dist" > "$work/log" 2>&1 &
pid=$!
for _ in $(seq 100); do grep -q "portal of election" "$work/log" && break; sleep 0.1; done
grep -q "on https://127.0.0.1:$port/" "$work/log" || fail "not listening: $(cat "$work/log")"

curl -s --cacert "$work/cert.pem" -D "$work/h" -o "$work/body" "https://127.0.0.1:$port/"
grep -q "^HTTP/1.1 200" "$work/h" || fail "no 200 over TLS"
grep -qi "^Strict-Transport-Security: max-age=" "$work/h" || fail "no HSTS"
grep -qi "^Set-Cookie: __Host-isoloir_visite=.*; Secure" "$work/h" || fail "cookie not __Host- Secure"
grep -q "Se connecter" "$work/body" || fail "no login page"
if curl -s -o /dev/null "http://127.0.0.1:$port/"; then fail "plain HTTP answered on the TLS port"; fi
code=$(curl -s --cacert "$work/cert.pem" -o "$work/pdf" -w '%{http_code}' \
  "https://127.0.0.1:$port/professions-de-foi/professions/csa-min-snad.pdf")
[[ $code == 200 ]] && grep -q "profession de foi" "$work/pdf" || fail "listed profession de foi not served ($code)"
code=$(curl -s --cacert "$work/cert.pem" -o /dev/null -w '%{http_code}' \
  "https://127.0.0.1:$port/professions-de-foi/not-listed.pdf")
[[ $code == 404 ]] || fail "a file the election does not name was served ($code)"
kill -TERM $pid
wait $pid || fail "serve did not stop cleanly"
echo "serve_tls: all checks passed"
