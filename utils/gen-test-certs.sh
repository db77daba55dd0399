#!/bin/sh
# gen-test-certs.sh — make a throw-away certificate authority and the
# certificates the TLS tests (and a manual try) need, with the openssl command.
#
#   sh utils/gen-test-certs.sh DIR
#
# Writes into DIR (created if missing):
#   ca.crt ca.key            a self-signed CA, valid one year
#   server.crt server.key    signed by the CA, CN "Server-only", for 127.0.0.1
#                            and localhost, usable for TLS servers only
#   client.crt client.key    signed by the CA, CN "Client-only", for TLS clients
#   redis.crt redis.key      signed by the CA, usable both ways (a server that
#                            also connects out, e.g. a replica)
#   server-pass.key          server.key encrypted with the passphrase "ember-test"
#                            (for tls-key-file-pass)
#   redis.dh                 Diffie-Hellman parameters: the 2048-bit ffdhe2048
#                            group of RFC 7919 (instant; a fresh safe prime
#                            takes many seconds)
#   wrong-ca.crt             a second CA that signed nothing here
# Keys are 2048-bit RSA without a passphrase (but server-pass.key). Nothing outside DIR is touched;
# running it again replaces the files.
set -eu

if [ $# -ne 1 ]; then
    echo "usage: $0 DIR" >&2
    exit 2
fi
dir=$1
mkdir -p "$dir"
cd "$dir"

command -v openssl >/dev/null 2>&1 || { echo "gen-test-certs.sh: openssl not found (apt-get install openssl)" >&2; exit 1; }

# sign NAME CN USAGE: a key and a certificate for NAME signed by ca.key.
sign() {
    name=$1 cn=$2 usage=$3
    openssl genrsa -out "$name.key" 2048 2>/dev/null
    cat > "$name.ext" <<EXT
keyUsage = digitalSignature, keyEncipherment
extendedKeyUsage = $usage
subjectAltName = IP:127.0.0.1, DNS:localhost
EXT
    openssl req -new -sha256 -subj "/O=Ember Test/CN=$cn" -key "$name.key" |
        openssl x509 -req -sha256 -CA ca.crt -CAkey ca.key -CAserial ca.txt -CAcreateserial \
            -days 365 -extfile "$name.ext" -out "$name.crt" 2>/dev/null
    rm -f "$name.ext"
}

openssl genrsa -out ca.key 2048 2>/dev/null
openssl req -x509 -new -nodes -sha256 -key ca.key -days 365 -subj "/O=Ember Test/CN=Certificate Authority" -out ca.crt
openssl req -x509 -new -nodes -sha256 -newkey rsa:2048 -keyout wrong-ca.key -days 365 \
    -subj "/O=Elsewhere/CN=Other Authority" -out wrong-ca.crt 2>/dev/null
rm -f wrong-ca.key

sign server Server-only serverAuth
sign client Client-only clientAuth
sign redis Generic-cert "serverAuth, clientAuth"
openssl pkey -in server.key -aes256 -passout pass:ember-test -out server-pass.key
openssl genpkey -genparam -algorithm DH -pkeyopt group:ffdhe2048 -out redis.dh
chmod 644 ./*.key
