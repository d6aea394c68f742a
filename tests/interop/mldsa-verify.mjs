// Verifies an ML-DSA signature with @noble/post-quantum, an implementation independent of the engine's BouncyCastle.
// Usage: node mldsa-verify.mjs <ML_DSA_44|ML_DSA_65|ML_DSA_87> <spki.der> <message file> <signature file>
// Prints "valid" or "invalid". The key is the SubjectPublicKeyInfo AWS returns: its BIT STRING holds the raw key.
import { readFileSync } from 'node:fs';
import { ml_dsa44, ml_dsa65, ml_dsa87 } from '@noble/post-quantum/ml-dsa.js';

const [spec, spkiPath, messagePath, signaturePath] = process.argv.slice(2);
const scheme = { ML_DSA_44: ml_dsa44, ML_DSA_65: ml_dsa65, ML_DSA_87: ml_dsa87 }[spec];
if (!scheme) throw new Error(`unknown spec ${spec}`);
const spki = readFileSync(spkiPath);
const rawLength = { ML_DSA_44: 1312, ML_DSA_65: 1952, ML_DSA_87: 2592 }[spec];
// SEQUENCE { SEQUENCE { OID }, BIT STRING { 0x00 unused bits, key } }: the key is the last rawLength bytes.
const publicKey = new Uint8Array(spki.subarray(spki.length - rawLength));
const message = new Uint8Array(readFileSync(messagePath));
const signature = new Uint8Array(readFileSync(signaturePath));
console.log(scheme.verify(signature, message, publicKey) ? 'valid' : 'invalid');
