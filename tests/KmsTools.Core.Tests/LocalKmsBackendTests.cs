using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using KmsTools.Crypto;
using KmsTools.Model;
using Xunit;

namespace KmsTools.Tests
{
    public class LocalKmsBackendTests : IDisposable
    {
        private readonly TestStore _store = new TestStore();
        private readonly KeyMetadata _key;

        public LocalKmsBackendTests() => _key = _store.NewSymmetricKey("alias/test");

        public void Dispose() => _store.Dispose();

        private GenerateDataKeyPairWithoutPlaintextResponse Generate(string keyId, string spec = "ECC_NIST_P256",
            Dictionary<string, string> context = null, bool? dryRun = null, List<string> grantTokens = null) =>
            _store.Kms.GenerateDataKeyPairWithoutPlaintext(new GenerateDataKeyPairWithoutPlaintextRequest
            {
                KeyId = keyId, KeyPairSpec = spec, EncryptionContext = context, DryRun = dryRun, GrantTokens = grantTokens,
            });

        private static KmsException Fails(string errorCode, Action action)
        {
            var error = Assert.Throws<KmsException>(action);
            Assert.Equal(errorCode, error.ErrorCode);
            return error;
        }

        [Fact]
        public void EveryFormOfKeyIdResolvesToTheSameKey()
        {
            string aliasArn = "arn:aws:kms:us-east-1:111122223333:alias/test";
            foreach (string keyId in new[] { _key.KeyId, _key.Arn, "alias/test", aliasArn })
            {
                var response = Generate(keyId);
                Assert.Equal(_key.Arn, response.KeyId);
                Assert.Equal(_key.CurrentKeyMaterialId, response.KeyMaterialId);
            }
        }

        // Every spec end to end (generation, sealing, Decrypt): on Mono this is the proof that each platform
        // primitive Windows PowerShell's runtime may lack falls back to BouncyCastle.
        [Theory]
        [InlineData("ECC_NIST_P256", "us-east-1")]
        [InlineData("ECC_NIST_P384", "us-east-1")]
        [InlineData("ECC_NIST_P521", "us-east-1")]
        [InlineData("ECC_SECG_P256K1", "us-east-1")]
        [InlineData("ECC_NIST_EDWARDS25519", "us-east-1")]
        [InlineData("SM2", "cn-north-1")]
        [InlineData("RSA_2048", "us-east-1")]
        [InlineData("RSA_3072", "us-east-1")]
        [InlineData("RSA_4096", "us-east-1")]
        public void ResponseDecryptsToAPrivateKeyMatchingThePublicKey(string spec, string region)
        {
            using (var store = new TestStore(region))
            {
                KeyMetadata key = store.NewSymmetricKey();
                var context = new Dictionary<string, string> { ["purpose"] = "test" };
                var pair = store.Kms.GenerateDataKeyPairWithoutPlaintext(new GenerateDataKeyPairWithoutPlaintextRequest { KeyId = key.KeyId, KeyPairSpec = spec, EncryptionContext = context });
                var decrypted = store.Kms.Decrypt(new DecryptRequest { CiphertextBlob = pair.PrivateKeyCiphertextBlob, EncryptionContext = context });
                Assert.Equal(pair.PublicKey, KeyPairGenerator.PublicKeyInfoOf(decrypted.Plaintext));
                Assert.Equal(key.Arn, decrypted.KeyId);
                Assert.Equal("SYMMETRIC_DEFAULT", decrypted.EncryptionAlgorithm);
                Assert.Equal(pair.KeyMaterialId, decrypted.KeyMaterialId);
                Assert.Equal(context, pair.EncryptionContext);
                Assert.Equal(spec, pair.KeyPairSpec);
            }
        }

        [Fact]
        public void KeyMetadataHasKmsShape()
        {
            Assert.Equal($"arn:aws:kms:us-east-1:111122223333:key/{_key.KeyId}", _key.Arn);
            Assert.Matches("^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", _key.KeyId);
            Assert.Matches("^[a-f0-9]{64}$", _key.CurrentKeyMaterialId);
            Assert.Equal(("Enabled", true, "SYMMETRIC_DEFAULT", "ENCRYPT_DECRYPT", "AWS_KMS", "CUSTOMER"),
                (_key.KeyState, _key.Enabled, _key.KeySpec, _key.KeyUsage, _key.Origin, _key.KeyManager));
            Assert.Equal(new[] { "SYMMETRIC_DEFAULT" }, _key.EncryptionAlgorithms);
        }

        [Fact]
        public void ChinaRegionsUseTheAwsCnPartitionAndAllowSm2()
        {
            using (var china = new TestStore("cn-north-1"))
            {
                KeyMetadata key = china.NewSymmetricKey();
                Assert.StartsWith("arn:aws-cn:kms:cn-north-1:111122223333:key/", key.Arn);
                var pair = china.Kms.GenerateDataKeyPairWithoutPlaintext(new GenerateDataKeyPairWithoutPlaintextRequest { KeyId = key.KeyId, KeyPairSpec = "SM2" });
                Assert.Equal("SM2", pair.KeyPairSpec);
            }
        }

        [Fact]
        public void KeysAreRegional()
        {
            using (var west = new TestStore("us-west-2"))
            {
                var error = Fails("NotFoundException", () => west.Kms.DescribeKey(new DescribeKeyRequest { KeyId = _key.Arn }));
                Assert.Equal("Invalid arn us-east-1", error.Message);
            }
        }

        [Theory]
        [InlineData("RSA_1024")]
        [InlineData("")]
        public void UnknownKeyPairSpecIsAValidationError(string spec)
        {
            var error = Fails("ValidationException", () => Generate("alias/test", spec));
            Assert.Equal($"1 validation error detected: Value '{spec}' at 'keyPairSpec' failed to satisfy constraint: Member must satisfy enum value set: [RSA_2048, RSA_3072, RSA_4096, ECC_NIST_P256, ECC_NIST_P384, ECC_NIST_P521, ECC_SECG_P256K1, SM2, ECC_NIST_EDWARDS25519]", error.Message);
            Assert.Equal("KeyPairSpec", error.MemberName);
        }

        [Fact]
        public void KeyIdLengthIsValidated()
        {
            Assert.Equal("1 validation error detected: Value '' at 'keyId' failed to satisfy constraint: Member must have length greater than or equal to 1",
                Fails("ValidationException", () => Generate("")).Message);
            Assert.EndsWith("at 'keyId' failed to satisfy constraint: Member must have length less than or equal to 2048",
                Fails("ValidationException", () => Generate(new string('a', 2049))).Message);
        }

        [Fact]
        public void UnknownKeysAndAliasesAreNotFound()
        {
            string missing = Guid.NewGuid().ToString();
            Assert.Equal($"Key 'arn:aws:kms:us-east-1:111122223333:key/{missing}' does not exist", Fails("NotFoundException", () => Generate(missing)).Message);
            Assert.Equal("Invalid keyId 'fake-key-id'", Fails("NotFoundException", () => Generate("fake-key-id")).Message);
            Assert.Equal("Alias arn:aws:kms:us-east-1:111122223333:alias/missing is not found.", Fails("NotFoundException", () => Generate("alias/missing")).Message);
        }

        [Fact]
        public void AsymmetricAndHmacKeysAreRejectedNamingTheOperation()
        {
            var signing = _store.Kms.CreateKey(new CreateKeyRequest { KeySpec = "ECC_NIST_P256", KeyUsage = "SIGN_VERIFY" }).KeyMetadata;
            Assert.Equal($"{signing.Arn} key usage is SIGN_VERIFY which is not valid for GenerateDataKeyPairWithoutPlaintext.",
                Fails("InvalidKeyUsageException", () => Generate(signing.KeyId)).Message);
            var hmac = _store.Kms.CreateKey(new CreateKeyRequest { KeySpec = "HMAC_256", KeyUsage = "GENERATE_VERIFY_MAC" }).KeyMetadata;
            Assert.Contains("GenerateDataKeyPairWithoutPlaintext", Fails("InvalidKeyUsageException", () => Generate(hmac.KeyId)).Message);
        }

        [Theory]
        [InlineData("Disabled", "DisabledException", "is disabled.")]
        [InlineData("PendingDeletion", "KMSInvalidStateException", "is pending deletion.")]
        [InlineData("PendingImport", "KMSInvalidStateException", "is pending import.")]
        [InlineData("Unavailable", "KMSInvalidStateException", "is unavailable.")]
        [InlineData("Creating", "KMSInvalidStateException", "is creating.")]
        public void KeyStatesAreHonouredByBothOperations(string state, string errorCode, string suffix)
        {
            var pair = Generate(_key.KeyId);
            _store.SetState(_key.KeyId, state);
            Assert.Equal($"{_key.Arn} {suffix}", Fails(errorCode, () => Generate(_key.KeyId)).Message);
            Assert.Equal($"{_key.Arn} {suffix}", Fails(errorCode, () => _store.Kms.Decrypt(new DecryptRequest { CiphertextBlob = pair.PrivateKeyCiphertextBlob })).Message);
        }

        [Fact]
        public void Sm2OutsideChinaIsUnsupported()
        {
            Assert.Equal("KeyPairSpec SM2 is not supported in this Region", Fails("UnsupportedOperationException", () => Generate("alias/test", "SM2")).Message);
        }

        [Fact]
        public void ElevenGrantTokensAreTooMany()
        {
            var tokens = Enumerable.Range(0, 11).Select(i => "token" + i).ToList();
            Assert.EndsWith("at 'grantTokens' failed to satisfy constraint: Member must have length less than or equal to 10",
                Fails("ValidationException", () => Generate("alias/test", grantTokens: tokens)).Message);
            var grant = _store.Kms.CreateGrant(new CreateGrantRequest { KeyId = _key.KeyId, GranteePrincipal = "arn:aws:iam::111122223333:role/app", Operations = new List<string> { "GenerateDataKeyPairWithoutPlaintext" } });
            Generate("alias/test", grantTokens: Enumerable.Repeat(grant.GrantToken, 10).ToList());
        }

        [Fact]
        public void AGrantTokenThatCreateGrantDidNotMakeIsInvalid()
        {
            Assert.Equal(KmsErrorCodes.InvalidGrantToken, Fails("InvalidGrantTokenException", () => Generate("alias/test", grantTokens: new List<string> { "token" })).ErrorCode);
        }

        [Fact]
        public void DryRunSaysItWouldHaveSucceededAndGeneratesNothing()
        {
            var error = Fails("DryRunOperationException", () => Generate("alias/test", "RSA_4096", dryRun: true));
            Assert.Equal("The request would have succeeded, but the DryRun option is set.", error.Message);
            // A doomed DryRun fails for its real reason first.
            Fails("NotFoundException", () => Generate("alias/missing", "RSA_4096", dryRun: true));
            var blob = Generate("alias/test").PrivateKeyCiphertextBlob;
            Fails("DryRunOperationException", () => _store.Kms.Decrypt(new DecryptRequest { CiphertextBlob = blob, DryRun = true }));
        }

        [Fact]
        public void DecryptRejectsContextMismatchesAndOtherKeys()
        {
            var context = new Dictionary<string, string> { ["a"] = "1", ["b"] = "2" };
            byte[] blob = Generate("alias/test", context: context).PrivateKeyCiphertextBlob;
            foreach (var wrong in new[]
                     {
                         null,
                         new Dictionary<string, string> { ["a"] = "1" },
                         new Dictionary<string, string> { ["a"] = "1", ["b"] = "2", ["c"] = "3" },
                         new Dictionary<string, string> { ["a"] = "1", ["b"] = "X" },
                         new Dictionary<string, string> { ["A"] = "1", ["b"] = "2" },
                     })
            {
                Fails("InvalidCiphertextException", () => _store.Kms.Decrypt(new DecryptRequest { CiphertextBlob = blob, EncryptionContext = wrong }));
            }
            KeyMetadata other = _store.NewSymmetricKey();
            Assert.Equal("The key ID in the request does not identify a CMK that can perform this operation.",
                Fails("IncorrectKeyException", () => _store.Kms.Decrypt(new DecryptRequest { CiphertextBlob = blob, EncryptionContext = context, KeyId = other.KeyId })).Message);
            Assert.NotNull(_store.Kms.Decrypt(new DecryptRequest { CiphertextBlob = blob, EncryptionContext = context, KeyId = "alias/test" }).Plaintext);
        }

        [Fact]
        public void DecryptValidatesTheBlobLength()
        {
            Assert.Equal("1 validation error detected: Value at 'ciphertextBlob' failed to satisfy constraint: Member must have length greater than or equal to 1",
                Fails("ValidationException", () => _store.Kms.Decrypt(new DecryptRequest { CiphertextBlob = new byte[0] })).Message);
            Fails("ValidationException", () => _store.Kms.Decrypt(new DecryptRequest { CiphertextBlob = new byte[6145] }));
        }

        [Fact]
        public void AliasesAreUniqueAndFollowKmsRules()
        {
            Assert.Equal("An alias with the name arn:aws:kms:us-east-1:111122223333:alias/test already exists",
                Fails("AlreadyExistsException", () => _store.Kms.CreateAlias(new CreateAliasRequest { AliasName = "alias/test", TargetKeyId = _key.KeyId })).Message);
            Assert.StartsWith("Alias must start with the prefix \"alias/\".",
                Fails("ValidationException", () => _store.Kms.CreateAlias(new CreateAliasRequest { AliasName = "test", TargetKeyId = _key.KeyId })).Message);
            Fails("ValidationException", () => _store.Kms.CreateAlias(new CreateAliasRequest { AliasName = "alias/bad!", TargetKeyId = _key.KeyId }));
            Fails("InvalidAliasNameException", () => _store.Kms.CreateAlias(new CreateAliasRequest { AliasName = "alias/aws/s3", TargetKeyId = _key.KeyId }));
            Fails("ValidationException", () => _store.Kms.CreateAlias(new CreateAliasRequest { AliasName = "alias/x", TargetKeyId = "alias/test" }));
            _store.Kms.CreateAlias(new CreateAliasRequest { AliasName = "alias/Test", TargetKeyId = _key.Arn });
            Assert.Equal(new[] { "alias/Test", "alias/test" }, _store.Kms.ListAliases(null).Aliases.Select(a => a.AliasName));
        }

        [Fact]
        public void ListKeysPagesInKeyIdOrder()
        {
            for (int i = 0; i < 4; i++) _store.NewSymmetricKey();
            var first = _store.Kms.ListKeys(new ListKeysRequest { Limit = 3 });
            Assert.True(first.Truncated);
            var second = _store.Kms.ListKeys(new ListKeysRequest { Limit = 3, Marker = first.NextMarker });
            Assert.False(second.Truncated);
            var all = first.Keys.Concat(second.Keys).Select(k => k.KeyId).ToList();
            Assert.Equal(5, all.Count);
            Assert.Equal(all.OrderBy(k => k, StringComparer.Ordinal), all);
        }

        [Fact]
        public void KeyMaterialIsStoredApartFromMetadataAndOwnerOnly()
        {
            string keys = Path.Combine(_store.Home, "store-v1", "111122223333", "us-east-1", "keys");
            string metadata = File.ReadAllText(Path.Combine(keys, _key.KeyId + ".json"));
            Assert.DoesNotContain("Material\"", metadata);
            if (!TestStore.IsWindows)
            {
                Assert.Equal("600", TestStore.UnixMode(Path.Combine(keys, _key.KeyId + ".key")));
                Assert.Equal("700", TestStore.UnixMode(keys));
            }
        }

        [Fact]
        public void ADamagedKeyFileNamesTheFileAndOtherKeysStillWork()
        {
            KeyMetadata other = _store.NewSymmetricKey();
            string path = Path.Combine(_store.Home, "store-v1", "111122223333", "us-east-1", "keys", other.KeyId + ".json");
            File.WriteAllText(path, "{ not json");
            var error = Fails("KMSInternalException", () => Generate(other.KeyId));
            Assert.Contains(path, error.Message);
            Generate(_key.KeyId);
        }

        [Fact]
        public void CreateKeyValidatesSpecAndUsage()
        {
            Assert.Equal("You must specify a KeyUsage value for all KMS keys except for symmetric encryption keys.",
                Fails("ValidationException", () => _store.Kms.CreateKey(new CreateKeyRequest { KeySpec = "RSA_2048" })).Message);
            Assert.Equal("KeyUsage GENERATE_VERIFY_MAC is not compatible with KeySpec RSA_2048",
                Fails("ValidationException", () => _store.Kms.CreateKey(new CreateKeyRequest { KeySpec = "RSA_2048", KeyUsage = "GENERATE_VERIFY_MAC" })).Message);
            Fails("UnsupportedOperationException", () => _store.Kms.CreateKey(new CreateKeyRequest { KeySpec = "SM2", KeyUsage = "SIGN_VERIFY" }));
        }
    }
}
