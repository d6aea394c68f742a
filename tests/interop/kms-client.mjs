// The AWS SDK for JavaScript v3 against a KMS endpoint: a round trip of the data-key family, and how an error
// arrives (its class name). Prints one JSON line; the Pester test reads it.
import { KMSClient, CreateKeyCommand, GenerateDataKeyCommand, DecryptCommand, GenerateDataKeyPairWithoutPlaintextCommand, DescribeKeyCommand } from '@aws-sdk/client-kms';

const endpoint = process.argv[2];
const kms = new KMSClient({ endpoint, region: 'eu-central-1', credentials: { accessKeyId: process.env.AWS_ACCESS_KEY_ID ?? 'test', secretAccessKey: process.env.AWS_SECRET_ACCESS_KEY ?? 'test' } });
const key = await kms.send(new CreateKeyCommand({ Description: 'from node' }));
const context = { app: 'node' };
const dataKey = await kms.send(new GenerateDataKeyCommand({ KeyId: key.KeyMetadata.KeyId, KeySpec: 'AES_256', EncryptionContext: context }));
const opened = await kms.send(new DecryptCommand({ CiphertextBlob: dataKey.CiphertextBlob, EncryptionContext: context }));
const pair = await kms.send(new GenerateDataKeyPairWithoutPlaintextCommand({ KeyId: key.KeyMetadata.KeyId, KeyPairSpec: 'ECC_NIST_P256' }));
let errorName = null;
try { await kms.send(new DescribeKeyCommand({ KeyId: 'alias/not-there' })); } catch (e) { errorName = e.name; }
console.log(JSON.stringify({
  arn: key.KeyMetadata.Arn,
  same: Buffer.compare(Buffer.from(dataKey.Plaintext), Buffer.from(opened.Plaintext)) === 0,
  plaintextBytes: opened.Plaintext.length,
  pairSpec: pair.KeyPairSpec,
  publicKeyBytes: pair.PublicKey.length,
  errorName,
}));
