"""Reads JSON lines {"spec", "public", "private"} (base64 DER) on stdin and prints, per line, whether the private
key's public half is the public key: the independent check of a data key pair (Python's cryptography package)."""
import base64
import json
import sys

from cryptography.hazmat.primitives import serialization

for line in sys.stdin:
    if not line.strip():
        continue
    pair = json.loads(line)
    private = serialization.load_der_private_key(base64.b64decode(pair['private']), password=None)
    public = private.public_key().public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    print(json.dumps({'spec': pair['spec'], 'match': public == base64.b64decode(pair['public'])}))
