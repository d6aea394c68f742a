// Computes FIPS 204's external mu with node's own SHAKE256 (OpenSSL), apart from the engine's BouncyCastle:
// mu = SHAKE256(tr || M', 64) with tr = SHAKE256(pk, 64) and M' = 0x00 || 0x00 || M (pure ML-DSA, empty context).
// Usage: node mldsa-mu.mjs <ML_DSA_44|ML_DSA_65|ML_DSA_87> <spki.der> <message file> <mu file to write>
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';

const [spec, spkiPath, messagePath, muPath] = process.argv.slice(2);
const rawLength = { ML_DSA_44: 1312, ML_DSA_65: 1952, ML_DSA_87: 2592 }[spec];
if (!rawLength) throw new Error(`unknown spec ${spec}`);
const spki = readFileSync(spkiPath);
const publicKey = spki.subarray(spki.length - rawLength);
const tr = createHash('shake256', { outputLength: 64 }).update(publicKey).digest();
const mu = createHash('shake256', { outputLength: 64 })
    .update(tr).update(Buffer.from([0, 0])).update(readFileSync(messagePath)).digest();
writeFileSync(muPath, mu);
