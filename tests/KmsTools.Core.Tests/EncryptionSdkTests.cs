using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading;
using KmsTools.Encryption;
using KmsTools.Encryption.Keyrings;
using Newtonsoft.Json.Linq;
using Xunit;

namespace KmsTools.Tests
{
    /// <summary>The AWS Encryption SDK message format: the ESDK's own published messages, round trips of every suite, and every kind of damage.</summary>
    public class EncryptionSdkTests
    {
        /// <summary>A keyring with a known data key, as the ESDK's tests use: decrypts any encrypted data key to that key.</summary>
        internal sealed class StaticKeyring : IKeyring
        {
            private readonly byte[] _dataKey;
            public StaticKeyring(byte[] dataKey) { _dataKey = dataKey; }
            public string Description => "static test key";
            public void OnEncrypt(EncryptionMaterials materials, CancellationToken cancellationToken)
            {
                if (materials.PlaintextDataKey == null) materials.SetDataKey((byte[])_dataKey.Clone());
                materials.Add(new EncryptedDataKey("static", Encoding.UTF8.GetBytes("k"), Encoding.UTF8.GetBytes("dk")));
            }
            public byte[] OnDecrypt(AlgorithmSuite suite, IReadOnlyDictionary<string, string> context, IReadOnlyList<EncryptedDataKey> keys, IList<string> failures, CancellationToken cancellationToken) =>
                (byte[])(_dataKey ?? new byte[suite.KeyLength]).Clone();
        }

        private static readonly MessageOptions AllowAny = new MessageOptions { CommitmentPolicy = CommitmentPolicy.RequireEncryptAllowDecrypt };

        internal static string FixturePath(params string[] parts)
        {
            string dir = AppContext.BaseDirectory;
            while (dir != null && !Directory.Exists(Path.Combine(dir, "tests", "fixtures"))) dir = Path.GetDirectoryName(dir);
            return Path.Combine(new[] { dir, "tests", "fixtures" }.Concat(parts).ToArray());
        }

        public static IEnumerable<object[]> PublishedVectors() =>
            JObject.Parse(File.ReadAllText(FixturePath("esdk", "esdk-js-vectors.json")))["vectors"].Select(v => new object[] { (string)v["name"] });

        [Theory]
        [MemberData(nameof(PublishedVectors))]
        public void DecryptsTheEsdksPublishedMessages(string name)
        {
            JToken vector = JObject.Parse(File.ReadAllText(FixturePath("esdk", "esdk-js-vectors.json")))["vectors"].Single(v => (string)v["name"] == name);
            byte[] message = Convert.FromBase64String((string)vector["ciphertext"]);
            string dataKey = (string)vector["dataKey"];
            var keyring = new StaticKeyring(dataKey == null ? null : Convert.FromBase64String(dataKey));
            var output = new MemoryStream();
            if (vector["error"] != null)
            {
                var error = Assert.Throws<KmsException>(() => MessageDecryptor.Decrypt(new MemoryStream(message), output, new[] { keyring }, AllowAny));
                Assert.Equal(KmsErrorCodes.InvalidCiphertext, error.ErrorCode);
                Assert.Contains((string)vector["error"], error.Message);
                return;
            }
            MessageInfo info = MessageDecryptor.Decrypt(new MemoryStream(message), output, new[] { keyring }, AllowAny);
            Assert.Equal((string)vector["plaintext"], Encoding.UTF8.GetString(output.ToArray()));
            Assert.Equal((string)vector["suite"], info.Header.Suite.IdHex);
            Assert.Equal(message.Length, info.MessageLength);
        }

        [Fact]
        public void VersionOneMessagesNeedTheUsersConsentToDecrypt()
        {
            JToken vector = JObject.Parse(File.ReadAllText(FixturePath("esdk", "esdk-js-vectors.json")))["vectors"].First(v => (string)v["suite"] == "0378");
            var error = Assert.Throws<KmsException>(() => MessageDecryptor.Decrypt(new MemoryStream(Convert.FromBase64String((string)vector["ciphertext"])),
                new MemoryStream(), new[] { new StaticKeyring(null) }, new MessageOptions()));
            Assert.Equal(KmsErrorCodes.UnsupportedOperation, error.ErrorCode);
            Assert.Contains("RequireEncryptAllowDecrypt", error.Message);
        }

        private static byte[] Key(int length) => Enumerable.Range(0, length).Select(i => (byte)(i * 7 + 1)).ToArray();

        private static byte[] Encrypt(byte[] plaintext, AlgorithmSuite suite, int frameLength, IDictionary<string, string> context = null, CommitmentPolicy policy = CommitmentPolicy.RequireEncryptRequireDecrypt)
        {
            var output = new MemoryStream();
            MessageEncryptor.Encrypt(new MemoryStream(plaintext), output, new[] { new StaticKeyring(Key(suite.KeyLength)) },
                new MessageOptions { Suite = suite, FrameLength = frameLength, EncryptionContext = context, CommitmentPolicy = policy });
            return output.ToArray();
        }

        private static byte[] Decrypt(byte[] message, int keyLength, MessageOptions options = null)
        {
            var output = new MemoryStream();
            MessageDecryptor.Decrypt(new MemoryStream(message), output, new[] { new StaticKeyring(Key(keyLength)) }, options ?? AllowAny);
            return output.ToArray();
        }

        public static IEnumerable<object[]> SuitesAndSizes()
        {
            foreach (AlgorithmSuite suite in AlgorithmSuite.All)
                foreach (int size in new[] { 0, 1, 63, 64, 65, 192, 1000 })
                    yield return new object[] { suite.IdHex, size };
        }

        [Theory]
        [MemberData(nameof(SuitesAndSizes))]
        public void EverySuiteRoundTripsAtFrameBoundaries(string suiteId, int size)
        {
            AlgorithmSuite suite = AlgorithmSuite.Find(suiteId);
            byte[] plaintext = Enumerable.Range(0, size).Select(i => (byte)i).ToArray();
            var policy = suite.IsCommitting ? CommitmentPolicy.RequireEncryptRequireDecrypt : CommitmentPolicy.ForbidEncryptAllowDecrypt;
            byte[] message = Encrypt(plaintext, suite, 64, new Dictionary<string, string> { ["purpose"] = "test" }, policy);
            Assert.Equal(suite.MessageFormatVersion, message[0]);
            Assert.Equal(plaintext, Decrypt(message, suite.KeyLength));
            // Frames: the plaintext's whole frames as regular frames, the rest (a whole frame when it divides evenly, else what is left) final.
            int frames = size == 0 ? 1 : (size + 63) / 64;
            MessageHeader header = MessageDecryptor.ReadHeader(new MemoryStream(message));
            Assert.Equal(64u, header.FrameLength);
            int bodyLength = frames * (4 + 12 + 16) + 8 + size;
            int headerLength = header.Length;
            Assert.InRange(message.Length - headerLength - bodyLength, 0, suite.IsSigned ? 2 + 104 : 0);
        }

        [Fact]
        public void BatchesOfFramesJoinUpExactly()
        {
            // Sizes around the encryptor's batch (1 MiB): a frame held back at the end of a batch must go out in the next.
            foreach (int size in new[] { MessageEncryptor.BatchBytes - 1, MessageEncryptor.BatchBytes, MessageEncryptor.BatchBytes + 1, 3 * MessageEncryptor.BatchBytes + 4097 })
            {
                byte[] plaintext = new byte[size];
                new Random(size).NextBytes(plaintext);
                byte[] message = Encrypt(plaintext, AlgorithmSuite.Default, 4096);
                Assert.Equal(plaintext, Decrypt(message, 32, new MessageOptions()));
            }
        }

        [Fact]
        public void NoDamagedOrTruncatedMessageDecrypts()
        {
            foreach (AlgorithmSuite suite in new[] { AlgorithmSuite.Default, AlgorithmSuite.ById[0x0478] })
            {
                byte[] message = Encrypt(Encoding.UTF8.GetBytes("a secret of some length, in three frames"), suite, 16, new Dictionary<string, string> { ["k"] = "v" });
                for (int i = 0; i < message.Length; i++)
                {
                    byte[] damaged = (byte[])message.Clone();
                    damaged[i] ^= 0x01;
                    var error = Assert.Throws<KmsException>(() => Decrypt(damaged, 32));
                    Assert.Contains(error.ErrorCode, new[] { KmsErrorCodes.InvalidCiphertext, KmsErrorCodes.IncorrectKey, KmsErrorCodes.UnsupportedOperation });
                }
                for (int length = 0; length < message.Length; length++)
                {
                    var error = Assert.Throws<KmsException>(() => Decrypt(message.Take(length).ToArray(), 32));
                    Assert.Equal(KmsErrorCodes.InvalidCiphertext, error.ErrorCode);
                }
                var trailing = Assert.Throws<KmsException>(() => Decrypt(message.Concat(new byte[] { 0 }).ToArray(), 32));
                Assert.Contains("follow the end of the message", trailing.Message);
            }
        }

        [Fact]
        public void EachFailureSaysWhichPartFailed()
        {
            byte[] message = Encrypt(new byte[40], AlgorithmSuite.Default, 16);
            MessageHeader header = MessageDecryptor.ReadHeader(new MemoryStream(message));
            int body = header.Length;
            string Fail(int at)
            {
                byte[] damaged = (byte[])message.Clone();
                damaged[at] ^= 0x80;
                return Assert.Throws<KmsException>(() => Decrypt(damaged, 32)).Message;
            }
            Assert.Contains("key commitment", Fail(header.Body.Length - 1));                  // the commit key
            Assert.Contains("header does not authenticate", Fail(body - 1));                  // the header tag
            Assert.Contains("Frame 2 ", Fail(body + (4 + 12 + 16 + 16) + 4 + 12));             // frame 2's content
            Assert.Contains("signature does not verify", Fail(message.Length - 1));           // the footer
            Assert.Contains("ends inside frame 3", Assert.Throws<KmsException>(() => Decrypt(message.Take(body + 2 * 48 + 10).ToArray(), 32)).Message);
        }

        [Fact]
        public void TheRequiredContextMustBeThere()
        {
            byte[] message = Encrypt(new byte[5], AlgorithmSuite.Default, 4096, new Dictionary<string, string> { ["purpose"] = "backup", ["team"] = "ops" });
            Assert.Equal(new byte[5], Decrypt(message, 32, new MessageOptions { EncryptionContext = new Dictionary<string, string> { ["purpose"] = "backup" } }));
            var wrong = Assert.Throws<KmsException>(() => Decrypt(message, 32, new MessageOptions { EncryptionContext = new Dictionary<string, string> { ["purpose"] = "restore" } }));
            Assert.Equal("The message's encryption context has 'purpose=backup', not the required 'purpose=restore'.", wrong.Message);
            var missing = Assert.Throws<KmsException>(() => Decrypt(message, 32, new MessageOptions { EncryptionContext = new Dictionary<string, string> { ["owner"] = "me" } }));
            Assert.StartsWith("The message's encryption context has no key 'owner'", missing.Message);
        }

        [Fact]
        public void ReservedContextKeysAndTooManyDataKeysAreRefusedBeforeAnyWork()
        {
            var reserved = Assert.Throws<KmsException>(() => Encrypt(new byte[1], AlgorithmSuite.Default, 4096, new Dictionary<string, string> { ["aws-crypto-public-key"] = "x" }));
            Assert.Equal(KmsErrorCodes.Validation, reserved.ErrorCode);
            var output = new MemoryStream();
            var three = new IKeyring[] { new StaticKeyring(Key(32)), new StaticKeyring(Key(32)), new StaticKeyring(Key(32)) };
            MessageEncryptor.Encrypt(new MemoryStream(new byte[1]), output, three, new MessageOptions());
            var error = Assert.Throws<KmsException>(() => MessageDecryptor.Decrypt(new MemoryStream(output.ToArray()), new MemoryStream(), three, new MessageOptions { MaxEncryptedDataKeys = 2 }));
            Assert.Equal(KmsErrorCodes.LimitExceeded, error.ErrorCode);
            Assert.Equal(3, MessageDecryptor.ReadHeader(new MemoryStream(output.ToArray())).EncryptedDataKeys.Count);
            Assert.Throws<KmsException>(() => MessageEncryptor.Encrypt(new MemoryStream(new byte[1]), new MemoryStream(), three, new MessageOptions { MaxEncryptedDataKeys = 2 }));
        }

        [Fact]
        public void RawRsaKeyringWrapsToThePublicKeyAlone()
        {
            using (Crypto.GeneratedKeyPair pair = Crypto.KeyPairGenerator.Generate("RSA_2048"))
            {
                var output = new MemoryStream();
                MessageInfo info = MessageEncryptor.Encrypt(new MemoryStream(Encoding.UTF8.GetBytes("offline")), output, new[] { new RawRsaKeyring(pair.PublicKeyInfo, null) }, new MessageOptions());
                EncryptedDataKey key = Assert.Single(info.Header.EncryptedDataKeys);
                Assert.Equal(RawRsaKeyring.DefaultNamespace, key.ProviderId);
                Assert.Equal(RawRsaKeyring.DefaultName(pair.PublicKeyInfo), key.ProviderInfoText);
                Assert.Equal(256, key.Ciphertext.Length);
                var plain = new MemoryStream();
                MessageDecryptor.Decrypt(new MemoryStream(output.ToArray()), plain, new[] { new RawRsaKeyring(null, pair.PrivateKeyPkcs8) }, new MessageOptions());
                Assert.Equal("offline", Encoding.UTF8.GetString(plain.ToArray()));
                var other = Assert.Throws<KmsException>(() => MessageDecryptor.Decrypt(new MemoryStream(output.ToArray()), new MemoryStream(),
                    new[] { new RawRsaKeyring(null, pair.PrivateKeyPkcs8, keyName: "another") }, new MessageOptions()));
                Assert.Equal(KmsErrorCodes.IncorrectKey, other.ErrorCode);
                Assert.Contains(RawRsaKeyring.DefaultNamespace + " " + key.ProviderInfoText, other.Message);
            }
        }
        [Theory]
        [InlineData("ECC_NIST_P256", 33)]
        [InlineData("ECC_NIST_P384", 49)]
        [InlineData("ECC_NIST_P521", 67)]
        public void RawEcdhKeyringWrapsToThePublicKeyAlone(string spec, int pointLength)
        {
            using (Crypto.GeneratedKeyPair pair = Crypto.KeyPairGenerator.Generate(spec))
            {
                var context = new Dictionary<string, string> { ["purpose"] = "test" };
                var output = new MemoryStream();
                MessageInfo info = MessageEncryptor.Encrypt(new MemoryStream(Encoding.UTF8.GetBytes("offline")), output,
                    new[] { new RawEcdhKeyring(pair.PublicKeyInfo, null) }, new MessageOptions { EncryptionContext = context });
                EncryptedDataKey key = Assert.Single(info.Header.EncryptedDataKeys);
                Assert.Equal(RawEcdhKeyring.ProviderId, key.ProviderId);
                Assert.Equal(1 + 4 + pointLength + 4 + pointLength, key.ProviderInfo.Length);
                Assert.Equal(32 + 32 + 32 + 16, key.Ciphertext.Length);
                Assert.StartsWith("recipient 0", key.ProviderInfoShown);
                Assert.Contains(" sender 0", key.ProviderInfoShown);
                var plain = new MemoryStream();
                MessageDecryptor.Decrypt(new MemoryStream(output.ToArray()), plain, new[] { new RawEcdhKeyring(null, pair.PrivateKeyPkcs8) }, new MessageOptions());
                Assert.Equal("offline", Encoding.UTF8.GetString(plain.ToArray()));

                // The context is part of FixedInfo: under another one the commitment key does not match, and nothing opens.
                var failures = new List<string>();
                Assert.Null(new RawEcdhKeyring(null, pair.PrivateKeyPkcs8).OnDecrypt(info.Header.Suite, new Dictionary<string, string> { ["purpose"] = "other" },
                    info.Header.EncryptedDataKeys, failures, CancellationToken.None));
                Assert.Contains("the commitment key does not match", Assert.Single(failures));

                // Another pair's private key: the EDK is not its own, so it is not even tried.
                using (Crypto.GeneratedKeyPair stranger = Crypto.KeyPairGenerator.Generate(spec))
                {
                    var other = Assert.Throws<KmsException>(() => MessageDecryptor.Decrypt(new MemoryStream(output.ToArray()), new MemoryStream(),
                        new[] { new RawEcdhKeyring(null, stranger.PrivateKeyPkcs8) }, new MessageOptions()));
                    Assert.Equal(KmsErrorCodes.IncorrectKey, other.ErrorCode);
                }
            }
        }

        // Sealed apart from KmsTools by tests/interop/esdk-raw-ecdh.py (Python's cryptography) for this throwaway P-256
        // key: suite 0x0478, context purpose=vector, one frame.
        private const string RawEcdhVectorKey = "MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgrDRLoXoWjBFcefhtVS9DUNV3cYOQ5KDYv0dsctrvgkOhRANCAAQIgpfZ0Cm2h0oX0ZQl3Rpxhp/cw+oqB3qWUWsapelMx0TsalneKPTTXk2g4QtlyaxrU3FExFP6Whl9xsVITd9R";
        private const string RawEcdhVectorMessage = "AgR40RxSBXFRACtwibEMkVSoT63KvIJxZHStAZUIKmwAMHwAEwABAAdwdXJwb3NlAAZ2ZWN0b3IAAQAIcmF3LWVjZGgASwEAAAAhAwiCl9nQKbaHShfRlCXdGnGGn9zD6ioHepZRaxql6UzHAAAAIQMZsEV+BnYzZZPxQVqKeDm6Sju5DT0UsgOSfxBUybF/LQBwlV2lxNQ0oBWmi+s71nSFQqmTLUPoHHlT9DQJAAZ6g+0fS6uuRlIchfpbKqbuixc+hvAPfaNXYk0klQBCqweTr1B71qEC9sfJeqCvyuQLGYaxhuyzxleuZYe0ou0bahxrhms8jFa92ojZIaGX5q/BTAIAABAAc6gvgx/3PSFtLflHRFZwmCHkZb4mPb4G2YJh8Mq8p77sZqoPQgNcs0n2td1BAu0b/////wAAAAEAAAAAAAAAAAAAAAEAAAAZ85vxbslcVEOdG74pIr8u0mmMZNCh1dGNtLP9aYiikZzumBDmVVrmT2M=";

        [Fact]
        public void RawEcdhKeyringOpensAMessageSealedApart()
        {
            byte[] message = Convert.FromBase64String(RawEcdhVectorMessage);
            var keyring = new RawEcdhKeyring(null, Convert.FromBase64String(RawEcdhVectorKey));
            var plain = new MemoryStream();
            MessageInfo info = MessageDecryptor.Decrypt(new MemoryStream(message), plain, new[] { keyring },
                new MessageOptions { EncryptionContext = new Dictionary<string, string> { ["purpose"] = "vector" } });
            Assert.Equal("sealed apart, opened here", Encoding.UTF8.GetString(plain.ToArray()));
            Assert.Equal(0x0478, info.Header.Suite.Id);

            // One flipped byte of the encrypted data key's commitment key: the keyring refuses it by name.
            byte[] edk = Assert.Single(info.Header.EncryptedDataKeys).Ciphertext;
            int at = IndexOf(message, edk) + 40;
            message[at] ^= 1;
            var error = Assert.Throws<KmsException>(() => MessageDecryptor.Decrypt(new MemoryStream(message), new MemoryStream(), new[] { keyring }, new MessageOptions()));
            Assert.Equal(KmsErrorCodes.IncorrectKey, error.ErrorCode);
            Assert.Contains("the commitment key does not match", error.Message);
        }

        private static int IndexOf(byte[] haystack, byte[] needle)
        {
            for (int i = 0; i + needle.Length <= haystack.Length; i++)
                if (haystack.Skip(i).Take(needle.Length).SequenceEqual(needle)) return i;
            throw new InvalidOperationException("not found");
        }

        [Fact]
        public void KmsKeyringGeneratesWithTheFirstKeyAndEncryptsWithTheOthers()
        {
            using (var store = new TestStore())
            {
                Model.KeyMetadata first = store.NewSymmetricKey("alias/first"), second = store.NewSymmetricKey();
                var context = new Dictionary<string, string> { ["purpose"] = "backup" };
                var output = new MemoryStream();
                MessageInfo info = MessageEncryptor.Encrypt(new MemoryStream(Encoding.UTF8.GetBytes("data")), output,
                    new[] { new KmsKeyring(store.Kms, new[] { "alias/first", second.KeyId }) }, new MessageOptions { EncryptionContext = context });
                Assert.Equal(new[] { first.Arn, second.Arn }, info.Header.EncryptedDataKeys.Select(k => k.ProviderInfoText));
                Assert.All(info.Header.EncryptedDataKeys, k => Assert.Equal("aws-kms", k.ProviderId));
                // Each blob is an ordinary KMS ciphertext under the message's whole context (with the signature key).
                var full = info.Header.EncryptionContext.ToDictionary(p => p.Key, p => p.Value);
                Assert.Equal(32, store.Kms.Decrypt(new Model.DecryptRequest { CiphertextBlob = info.Header.EncryptedDataKeys[1].Ciphertext, EncryptionContext = full }).Plaintext.Length);

                foreach (var keys in new[] { new string[0], new[] { second.Arn }, new[] { "alias/first" } })
                {
                    var plain = new MemoryStream();
                    MessageDecryptor.Decrypt(new MemoryStream(output.ToArray()), plain, new[] { new KmsKeyring(store.Kms, keys) }, new MessageOptions());
                    Assert.Equal("data", Encoding.UTF8.GetString(plain.ToArray()));
                }
                Model.KeyMetadata unrelated = store.NewSymmetricKey();
                var refused = Assert.Throws<KmsException>(() => MessageDecryptor.Decrypt(new MemoryStream(output.ToArray()), new MemoryStream(),
                    new[] { new KmsKeyring(store.Kms, new[] { unrelated.Arn }) }, new MessageOptions()));
                Assert.Equal(KmsErrorCodes.IncorrectKey, refused.ErrorCode);
                Assert.Contains("aws-kms " + first.Arn, refused.Message);
            }
        }
        /// <summary>
        /// The test vector of docs/encryption-sdk-format.md: fixed data key (0x00..0x1f), message id (0x20..0x3f),
        /// context and encrypted data key, suite 0x0478 (unsigned, so every byte is determined), 16-byte frames.
        /// </summary>
        internal static byte[] DocumentedVector()
        {
            var output = new MemoryStream();
            var keyring = new StaticKeyring(Enumerable.Range(0, 32).Select(i => (byte)i).ToArray());
            MessageEncryptor.Encrypt(new MemoryStream(Encoding.UTF8.GetBytes("Hello, KmsTools!\n")), output, new[] { keyring },
                new MessageOptions { Suite = AlgorithmSuite.ById[0x0478], FrameLength = 16, EncryptionContext = new Dictionary<string, string> { ["purpose"] = "test vector" } },
                Enumerable.Range(0x20, 32).Select(i => (byte)i).ToArray());
            return output.ToArray();
        }

        [Fact]
        public void TheDocumentedTestVectorIsWhatTheEncryptorWrites()
        {
            string doc = File.ReadAllText(Path.Combine(Path.GetDirectoryName(Path.GetDirectoryName(FixturePath())), "docs", "encryption-sdk-format.md"));
            var block = System.Text.RegularExpressions.Regex.Match(doc, "<!-- vector -->\\s*```text\\s*(.*?)```", System.Text.RegularExpressions.RegexOptions.Singleline);
            Assert.True(block.Success, "docs/encryption-sdk-format.md has no <!-- vector --> block");
            string hex = string.Concat(block.Groups[1].Value.Split('\n').Select(line => System.Text.RegularExpressions.Regex.Split(line, "\\s{2,}")[0].Replace(" ", string.Empty).Trim()));
            Assert.Equal(hex, Crypto.Hex.ToLower(DocumentedVector()));
            var plain = new MemoryStream();
            MessageDecryptor.Decrypt(new MemoryStream(DocumentedVector()), plain, new[] { new StaticKeyring(Enumerable.Range(0, 32).Select(i => (byte)i).ToArray()) }, new MessageOptions());
            Assert.Equal("Hello, KmsTools!\n", Encoding.UTF8.GetString(plain.ToArray()));
        }
    }
}
