"""The ESDK raw ECDH keyring's wire format, written apart from KmsTools with Python's `cryptography`, to check it both ways.

    open <message file> <PKCS #8 private key, DER file>
        Finds the message's raw-ecdh encrypted data key for the private key, opens it (ECDH with the ephemeral sender
        key, the SP 800-108 KDF, AES-256-GCM) and checks the data key against the header's commit key. Prints JSON.
    seal <SubjectPublicKeyInfo, DER file> <plaintext file> <message file to write> [<encryption context JSON>]
        Writes a message of suite 0x0478 (committing, unsigned; one frame per 4096 bytes) whose data key is wrapped for
        the public key with the EphemeralPrivateKeyToStaticPublicKey scheme.

The format (Material Providers Library, RawECDHKeyring and EcdhEdkWrapping): provider id "raw-ecdh"; provider info
01 || u32 len || recipient || u32 len || sender (compressed points); FixedInfo "ecdh-key-derivation" 00 curve 00
"HMAC_SHA384" 00 sender || recipient 00 01 00 serialized context; KDF HMAC-SHA384(Z, u32 i || FixedInfo || 00 || salt
|| u32 512) for i = 1, 2, truncated to 64 bytes: commitment key, then the wrapping key; EDK ciphertext salt || commitment
key || AES-GCM(wrapping key, zero IV, AAD FixedInfo) of the data key || tag.
"""
import hashlib
import hmac
import json
import os
import struct
import sys

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDFExpand

CURVES = {'secp256r1': ('p256', ec.SECP256R1()), 'secp384r1': ('p384', ec.SECP384R1()), 'secp521r1': ('p521', ec.SECP521R1())}


def compressed(public_key):
    return public_key.public_bytes(serialization.Encoding.X962, serialization.PublicFormat.CompressedPoint)


def serialize_context(context):
    if not context:
        return b''
    pairs = sorted((k.encode(), v.encode()) for k, v in context.items())
    out = struct.pack('>H', len(pairs))
    for k, v in pairs:
        out += struct.pack('>H', len(k)) + k + struct.pack('>H', len(v)) + v
    return out


def fixed_info(curve_name, sender, recipient, context_bytes):
    return (b'ecdh-key-derivation\x00' + curve_name.encode() + b'\x00HMAC_SHA384\x00' + sender + recipient
            + b'\x00\x01\x00' + context_bytes)


def kdf(secret, info, salt):
    out = b''
    for counter in (1, 2):
        out += hmac.new(secret, struct.pack('>I', counter) + info + b'\x00' + salt + struct.pack('>I', 512), hashlib.sha384).digest()
    return out[:64]


def message_keys(data_key, message_id, suite_id):
    prk = hmac.new(message_id, data_key, hashlib.sha512).digest()  # RFC 5869 extract, salt = message id
    expand = lambda info: HKDFExpand(hashes.SHA512(), 32, info).derive(prk)
    return expand(struct.pack('>H', suite_id) + b'DERIVEKEY'), expand(b'COMMITKEY')


def read_header(data):
    at = 0
    def take(n):
        nonlocal at
        chunk = data[at:at + n]
        at += n
        return chunk
    version = take(1)[0]
    if version != 2:
        raise SystemExit('only message format version 2 is read here')
    suite_id = struct.unpack('>H', take(2))[0]
    message_id = take(32)
    context_bytes = take(struct.unpack('>H', take(2))[0])
    context, inner = {}, 0
    if context_bytes:
        count = struct.unpack('>H', context_bytes[:2])[0]
        inner = 2
        for _ in range(count):
            kl = struct.unpack('>H', context_bytes[inner:inner + 2])[0]; k = context_bytes[inner + 2:inner + 2 + kl]; inner += 2 + kl
            vl = struct.unpack('>H', context_bytes[inner:inner + 2])[0]; v = context_bytes[inner + 2:inner + 2 + vl]; inner += 2 + vl
            context[k.decode()] = v.decode()
    keys = []
    for _ in range(struct.unpack('>H', take(2))[0]):
        provider = take(struct.unpack('>H', take(2))[0]).decode()
        info = take(struct.unpack('>H', take(2))[0])
        ciphertext = take(struct.unpack('>H', take(2))[0])
        keys.append((provider, info, ciphertext))
    take(1)  # content type
    take(4)  # frame length
    commit_key = take(32)
    return suite_id, message_id, context_bytes, context, keys, commit_key


def open_message(message_path, private_path):
    private_key = serialization.load_der_private_key(open(private_path, 'rb').read(), None)
    curve_name, curve = CURVES[private_key.curve.name]
    own = compressed(private_key.public_key())
    suite_id, message_id, context_bytes, context, keys, commit_key = read_header(open(message_path, 'rb').read())
    for provider, info, ciphertext in keys:
        if provider != 'raw-ecdh' or info[0] != 1:
            continue
        recipient_length = struct.unpack('>I', info[1:5])[0]
        recipient = info[5:5 + recipient_length]
        sender = info[9 + recipient_length:]
        if recipient != own:
            continue
        sender_key = ec.EllipticCurvePublicKey.from_encoded_point(curve, sender)
        secret = private_key.exchange(ec.ECDH(), sender_key)
        info_bytes = fixed_info(curve_name, sender, recipient, context_bytes)
        keying = kdf(secret, info_bytes, ciphertext[:32])
        if not hmac.compare_digest(keying[:32], ciphertext[32:64]):
            raise SystemExit('the commitment key in the encrypted data key does not match')
        data_key = AESGCM(keying[32:]).decrypt(b'\x00' * 12, ciphertext[64:], info_bytes)
        _, message_commit = message_keys(data_key, message_id, suite_id)
        print(json.dumps({'curve': curve_name, 'dataKeyLength': len(data_key), 'commitKeyMatches': message_commit == commit_key,
                          'encryptionContext': context}))
        return
    raise SystemExit('no raw-ecdh encrypted data key for this private key')


def seal(public_path, plaintext_path, message_path, context_json=None):
    recipient_key = serialization.load_der_public_key(open(public_path, 'rb').read())
    curve_name, curve = CURVES[recipient_key.curve.name]
    context = json.loads(context_json) if context_json else {}
    context_bytes = serialize_context(context)
    data_key = os.urandom(32)
    ephemeral = ec.generate_private_key(curve)
    sender, recipient = compressed(ephemeral.public_key()), compressed(recipient_key)
    info_bytes = fixed_info(curve_name, sender, recipient, context_bytes)
    salt = os.urandom(32)
    keying = kdf(ephemeral.exchange(ec.ECDH(), recipient_key), info_bytes, salt)
    edk_ciphertext = salt + keying[:32] + AESGCM(keying[32:]).encrypt(b'\x00' * 12, data_key, info_bytes)
    provider_info = b'\x01' + struct.pack('>I', len(recipient)) + recipient + struct.pack('>I', len(sender)) + sender
    suite_id, frame_length, message_id = 0x0478, 4096, os.urandom(32)
    key, commit_key = message_keys(data_key, message_id, suite_id)
    field = lambda b: struct.pack('>H', len(b)) + b
    header = (b'\x02' + struct.pack('>H', suite_id) + message_id + field(context_bytes) + struct.pack('>H', 1)
              + field(b'raw-ecdh') + field(provider_info) + field(edk_ciphertext) + b'\x02' + struct.pack('>I', frame_length) + commit_key)
    gcm = AESGCM(key)
    out = header + gcm.encrypt(b'\x00' * 12, b'', header)  # the header tag: AES-GCM of nothing, the header as AAD
    plaintext = open(plaintext_path, 'rb').read()
    chunks = [plaintext[i:i + frame_length] for i in range(0, len(plaintext), frame_length)] or [b'']
    if len(chunks[-1]) == frame_length:
        chunks.append(b'')  # a final frame is always written, empty when the data fills the frames
    for number, chunk in enumerate(chunks, start=1):
        final = number == len(chunks)
        iv = b'\x00' * 8 + struct.pack('>I', number)
        label = b'AWSKMSEncryptionClient Final Frame' if final else b'AWSKMSEncryptionClient Frame'
        sealed = gcm.encrypt(iv, chunk, message_id + label + struct.pack('>IQ', number, len(chunk)))
        if final:
            out += b'\xff\xff\xff\xff' + struct.pack('>I', number) + iv + struct.pack('>I', len(chunk)) + sealed
        else:
            out += struct.pack('>I', number) + iv + sealed
    open(message_path, 'wb').write(out)


if __name__ == '__main__':
    command, arguments = sys.argv[1], sys.argv[2:]
    {'open': open_message, 'seal': seal}[command](*arguments)
