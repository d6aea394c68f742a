// The peer's side of an SM2 ECDH, with OpenSSL's EC layer through node (openssl 3.0's pkeyutl -derive refuses SM2
// keys, and so does .NET's ECDiffieHellman, which goes through the same EVP layer).
// Usage: node sm2-ecdh.mjs <the KMS key's SubjectPublicKeyInfo, DER file>
// Prints JSON: the peer's SubjectPublicKeyInfo (base64 DER, curve sm2p256v1) and the shared secret (hex).
import { createECDH } from 'node:crypto';
import { readFileSync } from 'node:fs';

const kmsSpki = readFileSync(process.argv[2]);
// SEQUENCE { SEQUENCE { id-ecPublicKey, sm2p256v1 }, BIT STRING { 0x00, uncompressed point } }: the point is last.
const prefix = Buffer.from('3059301306072a8648ce3d020106082a811ccf5501822d034200', 'hex');
if (!kmsSpki.subarray(0, prefix.length).equals(prefix)) throw new Error('not an SM2 SubjectPublicKeyInfo');
const peer = createECDH('SM2');
peer.generateKeys();
const secret = peer.computeSecret(kmsSpki.subarray(prefix.length));
console.log(JSON.stringify({
    peerPublicKey: Buffer.concat([prefix, peer.getPublicKey()]).toString('base64'),
    secret: secret.toString('hex').toUpperCase(),
}));
