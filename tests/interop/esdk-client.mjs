// The AWS Encryption SDK for JavaScript (@aws-crypto/client-node) as the tests' peer: it encrypts what KmsTools must
// decrypt and decrypts what KmsTools wrote, streaming files, with the keyring a test names.
//   node esdk-client.mjs <encrypt|decrypt> <in> <out> <keyring> [options as JSON]
// keyrings: rsa    {"keyNamespace","keyName","publicKeyPem"|"privateKeyPem"}  (OAEP with SHA-256, as KmsTools writes)
//           kms    {"endpoint","region","generatorKeyId","keyIds"}          (the aws-kms keyring on a KMS endpoint)
//           static {"dataKey": base64}                                       (decrypt only: a known data key)
// options also: "context" (encrypt: the encryption context; decrypt: pairs the message must have), "frameLength",
// "suiteId" (decimal, e.g. 1144 for 0x0478), "policy" (the ESDK's CommitmentPolicy name).
// Prints one JSON line: the message's suite id, message id, context and data key providers, and the seconds the
// stream took (for build.ps1 -Task Bench).
import fs from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { constants } from 'node:crypto';
import {
  buildClient, CommitmentPolicy, RawRsaKeyringNode, KmsKeyringNode, KeyringNode, KeyringTraceFlag, AlgorithmSuiteIdentifier,
} from '@aws-crypto/client-node';
import { KMS } from '@aws-sdk/client-kms';

const [, , mode, input, output, keyringName, json] = process.argv;
const options = json ? JSON.parse(json) : {};
const policy = CommitmentPolicy[options.policy || 'REQUIRE_ENCRYPT_REQUIRE_DECRYPT'];
const client = buildClient({ commitmentPolicy: policy, maxEncryptedDataKeys: options.maxEncryptedDataKeys || false });

class StaticKeyring extends KeyringNode {
  constructor(dataKey) { super(); this.dataKey = Buffer.from(dataKey, 'base64'); }
  async _onEncrypt() { throw new Error('The static keyring decrypts only.'); }
  async _onDecrypt(material) {
    return material.setUnencryptedDataKey(new Uint8Array(this.dataKey),
      { keyNamespace: 'static', keyName: 'k', flags: KeyringTraceFlag.WRAPPING_KEY_DECRYPTED_DATA_KEY });
  }
}

function keyring() {
  switch (keyringName) {
    case 'rsa':
      return new RawRsaKeyringNode({
        keyNamespace: options.keyNamespace, keyName: options.keyName,
        rsaKey: options.privateKeyPem ? { privateKey: options.privateKeyPem } : { publicKey: options.publicKeyPem },
        padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256',
      });
    case 'kms':
      return new KmsKeyringNode({
        generatorKeyId: options.generatorKeyId, keyIds: options.keyIds || [],
        clientProvider: (region) => new KMS({
          region: region || options.region, endpoint: options.endpoint,
          credentials: { accessKeyId: 'AKIAKMSTOOLSTEST', secretAccessKey: 'kmstools-test-secret' },
        }),
      });
    case 'static':
      return new StaticKeyring(options.dataKey);
    default:
      throw new Error(`Unknown keyring ${keyringName}`);
  }
}

const started = process.hrtime.bigint();
function describe(header) {
  return {
    seconds: Number(process.hrtime.bigint() - started) / 1e9,
    suiteId: header.suiteId, messageId: Buffer.from(header.messageId).toString('base64'),
    encryptionContext: header.encryptionContext,
    providers: header.encryptedDataKeys.map((k) => `${k.providerId} ${k.providerInfo}`),
  };
}

if (mode === 'encrypt') {
  let header;
  const stream = client.encryptStream(keyring(), {
    encryptionContext: options.context || {}, frameLength: options.frameLength || 4096,
    suiteId: options.suiteId ?? AlgorithmSuiteIdentifier.ALG_AES256_GCM_IV12_TAG16_HKDF_SHA512_COMMIT_KEY_ECDSA_P384,
  }).on('MessageHeader', (h) => { header = h; });
  await pipeline(fs.createReadStream(input, { highWaterMark: 1 << 20 }), stream, fs.createWriteStream(output));
  console.log(JSON.stringify(describe(header)));
} else if (mode === 'decrypt') {
  let header;
  const stream = client.decryptStream(keyring(), { encryptionContext: options.context })
    .on('MessageHeader', (h) => { header = h; });
  await pipeline(fs.createReadStream(input, { highWaterMark: 1 << 20 }), stream, fs.createWriteStream(output));
  console.log(JSON.stringify(describe(header)));
} else {
  throw new Error('usage: node esdk-client.mjs <encrypt|decrypt> <in> <out> <rsa|kms|static> [json]');
}
