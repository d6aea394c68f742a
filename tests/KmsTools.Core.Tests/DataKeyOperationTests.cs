using System;
using System.Collections.Generic;
using KmsTools.Crypto;
using KmsTools.Model;
using Xunit;

namespace KmsTools.Tests
{
    public class DataKeyOperationTests : IDisposable
    {
        private readonly TestStore _store = new TestStore();
        private readonly KeyMetadata _key;
        private readonly KeyMetadata _other;

        public DataKeyOperationTests()
        {
            _key = _store.NewSymmetricKey("alias/data");
            _other = _store.NewSymmetricKey("alias/other");
        }

        public void Dispose() => _store.Dispose();

        private static KmsException Fails(string errorCode, Action action)
        {
            var error = Assert.Throws<KmsException>(action);
            Assert.Equal(errorCode, error.ErrorCode);
            return error;
        }

        [Theory]
        [InlineData("AES_256", null, 32)]
        [InlineData("AES_128", null, 16)]
        [InlineData(null, 1, 1)]
        [InlineData(null, 1024, 1024)]
        public void GenerateDataKeyDecryptsToItsPlaintext(string spec, int? bytes, int length)
        {
            var context = new Dictionary<string, string> { ["k"] = "v" };
            var dataKey = _store.Kms.GenerateDataKey(new GenerateDataKeyRequest { KeyId = "alias/data", KeySpec = spec, NumberOfBytes = bytes, EncryptionContext = context });
            Assert.Equal(length, dataKey.Plaintext.Length);
            Assert.Equal(_key.Arn, dataKey.KeyId);
            Assert.Equal(_key.CurrentKeyMaterialId, dataKey.KeyMaterialId);
            Assert.Equal(dataKey.Plaintext, _store.Kms.Decrypt(new DecryptRequest { CiphertextBlob = dataKey.CiphertextBlob, EncryptionContext = context }).Plaintext);
        }

        [Fact]
        public void GenerateDataKeyNeedsExactlyOneOfKeySpecAndNumberOfBytes()
        {
            Assert.Equal("Please specify either number of bytes or key spec.",
                Fails("ValidationException", () => _store.Kms.GenerateDataKey(new GenerateDataKeyRequest { KeyId = "alias/data", KeySpec = "AES_256", NumberOfBytes = 32 })).Message);
            Fails("ValidationException", () => _store.Kms.GenerateDataKeyWithoutPlaintext(new GenerateDataKeyWithoutPlaintextRequest { KeyId = "alias/data" }));
            Assert.Equal("1 validation error detected: Value '0' at 'numberOfBytes' failed to satisfy constraint: Member must have value greater than or equal to 1",
                Fails("ValidationException", () => _store.Kms.GenerateDataKey(new GenerateDataKeyRequest { KeyId = "alias/data", NumberOfBytes = 0 })).Message);
        }

        [Fact]
        public void EncryptValidatesPlaintextLengthWithoutEchoingIt()
        {
            Assert.Equal("1 validation error detected: Value at 'plaintext' failed to satisfy constraint: Member must have length less than or equal to 4096",
                Fails("ValidationException", () => _store.Kms.Encrypt(new EncryptRequest { KeyId = "alias/data", Plaintext = new byte[4097] })).Message);
            Fails("ValidationException", () => _store.Kms.Encrypt(new EncryptRequest { KeyId = "alias/data", Plaintext = new byte[0] }));
            var maximal = _store.Kms.Encrypt(new EncryptRequest { KeyId = "alias/data", Plaintext = new byte[4096] });
            Assert.Equal(4096 + CiphertextFormat.Overhead, maximal.CiphertextBlob.Length);
        }

        [Fact]
        public void ReEncryptMovesABlobToAnotherKeyAndContext()
        {
            var source = new Dictionary<string, string> { ["stage"] = "one" };
            var destination = new Dictionary<string, string> { ["stage"] = "two" };
            byte[] blob = _store.Kms.Encrypt(new EncryptRequest { KeyId = "alias/data", Plaintext = new byte[] { 7, 8, 9 }, EncryptionContext = source }).CiphertextBlob;
            var moved = _store.Kms.ReEncrypt(new ReEncryptRequest
            {
                CiphertextBlob = blob, SourceEncryptionContext = source, DestinationKeyId = "alias/other", DestinationEncryptionContext = destination,
            });
            Assert.Equal((_key.Arn, _other.Arn), (moved.SourceKeyId, moved.KeyId));
            Assert.Equal((_key.CurrentKeyMaterialId, _other.CurrentKeyMaterialId), (moved.SourceKeyMaterialId, moved.DestinationKeyMaterialId));
            Assert.Equal(new byte[] { 7, 8, 9 }, _store.Kms.Decrypt(new DecryptRequest { CiphertextBlob = moved.CiphertextBlob, EncryptionContext = destination }).Plaintext);
            Fails("InvalidCiphertextException", () => _store.Kms.ReEncrypt(new ReEncryptRequest { CiphertextBlob = blob, DestinationKeyId = "alias/other" }));
            Fails("IncorrectKeyException", () => _store.Kms.ReEncrypt(new ReEncryptRequest { CiphertextBlob = blob, SourceEncryptionContext = source, SourceKeyId = "alias/other", DestinationKeyId = "alias/other" }));
        }

        [Fact]
        public void GenerateDataKeyPairReturnsThePlaintextItsBlobDecryptsTo()
        {
            var pair = _store.Kms.GenerateDataKeyPair(new GenerateDataKeyPairRequest { KeyId = "alias/data", KeyPairSpec = "ECC_NIST_P256" });
            Assert.Equal(pair.PublicKey, KeyPairGenerator.PublicKeyInfoOf(pair.PrivateKeyPlaintext));
            Assert.Equal(pair.PrivateKeyPlaintext, _store.Kms.Decrypt(new DecryptRequest { CiphertextBlob = pair.PrivateKeyCiphertextBlob }).Plaintext);
            Assert.StartsWith("-----BEGIN PRIVATE KEY-----\n", pair.GetPrivateKeyPem());
        }

        [Fact]
        public void GenerateRandomRespectsItsRange()
        {
            Assert.Equal(1024, _store.Kms.GenerateRandom(new GenerateRandomRequest { NumberOfBytes = 1024 }).Plaintext.Length);
            Assert.Equal("NumberOfBytes is required.", Fails("ValidationException", () => _store.Kms.GenerateRandom(new GenerateRandomRequest())).Message);
            Fails("ValidationException", () => _store.Kms.GenerateRandom(new GenerateRandomRequest { NumberOfBytes = 1025 }));
        }

        [Fact]
        public void BlobsFromBeforeARotationStillDecrypt()
        {
            byte[] before = _store.Kms.Encrypt(new EncryptRequest { KeyId = "alias/data", Plaintext = new byte[] { 1 } }).CiphertextBlob;
            _store.Kms.RotateKeyOnDemand(new RotateKeyOnDemandRequest { KeyId = "alias/data" });
            var after = _store.Kms.Encrypt(new EncryptRequest { KeyId = "alias/data", Plaintext = new byte[] { 2 } });
            Assert.Equal(new byte[] { 1 }, _store.Kms.Decrypt(new DecryptRequest { CiphertextBlob = before }).Plaintext);
            string newMaterial = _store.Kms.DescribeKey(new DescribeKeyRequest { KeyId = "alias/data" }).KeyMetadata.CurrentKeyMaterialId;
            Assert.NotEqual(_key.CurrentKeyMaterialId, newMaterial);
            Assert.Equal(newMaterial, _store.Kms.Decrypt(new DecryptRequest { CiphertextBlob = after.CiphertextBlob }).KeyMaterialId);
            Assert.Single(_store.Kms.ListKeyRotations(new ListKeyRotationsRequest { KeyId = "alias/data" }).Rotations, r => r.KeyMaterialId == newMaterial);
        }
    }
}
