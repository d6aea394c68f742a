using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using KmsTools.Crypto;
using Xunit;

namespace KmsTools.Tests
{
    public class CiphertextFormatTests
    {
        // The vector of docs/ciphertext-format.md, computed independently with Python's cryptography AESGCM.
        private static readonly byte[] Key = Enumerable.Range(0, 32).Select(i => (byte)i).ToArray();
        private static readonly byte[] Nonce = Enumerable.Range(0, 12).Select(i => (byte)i).ToArray();
        private const string KeyId = "1234abcd-12ab-34cd-56ef-1234567890ab";
        private const string MaterialId = "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff";
        private static readonly Dictionary<string, string> Context = new Dictionary<string, string> { ["tenant"] = "a", ["purpose"] = "test" };
        private const string ExpectedBlobHex =
            "4b54011234abcd12ab34cd56ef1234567890ab00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff" +
            "000102030405060708090a0b0c6fa54faa8aae68ad35f2f8c5c90e08e0a2e846480604c08e9b198dd09e60b384d22729";
        private const string ExpectedContextHex = "0000000200000007707572706f736500000004746573740000000674656e616e740000000161";

        [Fact]
        public void SealMatchesTheDocumentedTestVector()
        {
            byte[] blob = CiphertextFormat.Seal(Key, KeyId, MaterialId, Encoding.UTF8.GetBytes("KmsTools test vector"), Context, Nonce);
            Assert.Equal(ExpectedBlobHex, Hex.ToLower(blob));
        }

        [Fact]
        public void TheDocumentedTestVectorOpens()
        {
            byte[] blob = FromHex(ExpectedBlobHex);
            Assert.Equal("KmsTools test vector", Encoding.UTF8.GetString(CiphertextFormat.Open(Key, blob, Context)));
            CiphertextHeader header = CiphertextFormat.ReadHeader(blob);
            Assert.Equal(KeyId, header.KeyId);
            Assert.Equal(MaterialId, header.KeyMaterialId);
        }

        [Fact]
        public void PlatformAndBouncyCastleGcmGiveIdenticalBytesAndBothDetectTampering()
        {
#if NET
            Assert.True(AesGcmCipher.HasPlatform, "PowerShell 7's runtime has AesGcm; the fast path must be in use");
#else
            // Windows PowerShell's .NET Framework (and Mono, which runs this build here) has no AesGcm: BouncyCastle serves.
            Assert.False(AesGcmCipher.HasPlatform);
#endif
            byte[] aad = Encoding.UTF8.GetBytes("header and context");
            byte[] plaintext = Enumerable.Range(0, 300).Select(i => (byte)i).ToArray();
            var platform = new byte[plaintext.Length + 16];
            var bouncyCastle = new byte[plaintext.Length + 16];
            AesGcmCipher.Encrypt(true, Key, Nonce, aad, plaintext, platform, 0);
            AesGcmCipher.Encrypt(false, Key, Nonce, aad, plaintext, bouncyCastle, 0);
            Assert.Equal(bouncyCastle, platform);
            foreach (bool usePlatform in new[] { true, false })
            {
                var opened = new byte[plaintext.Length];
                Assert.True(AesGcmCipher.TryDecrypt(usePlatform, Key, Nonce, aad, platform, 0, platform.Length, opened));
                Assert.Equal(plaintext, opened);
                byte[] tampered = (byte[])platform.Clone();
                tampered[10] ^= 1;
                Assert.False(AesGcmCipher.TryDecrypt(usePlatform, Key, Nonce, aad, tampered, 0, tampered.Length, new byte[plaintext.Length]));
                Assert.False(AesGcmCipher.TryDecrypt(usePlatform, Key, Nonce, new byte[] { 1 }, platform, 0, platform.Length, new byte[plaintext.Length]));
            }
        }

#if NET
        [Fact]
        public void OpenSslEvpGcmKeyedOnceAgreesWithAesGcmFrameAfterFrameAndRefusesEveryTamperedPart()
        {
            if (!OperatingSystem.IsLinux())
            {
                Assert.False(OpenSslAesGcm.Available);
                return;
            }
            Assert.True(OpenSslAesGcm.Available, "libcrypto 3 is on this Linux machine; frames must not fall back to AesGcm's per-call key setup");
            var random = new Random(7);
            // AES-128 and AES-192 serve the version 1 suites. Lengths around the block and the batching sizes, empty
            // AAD and text included; the same context reused, both ways interleaved.
            foreach (int keyLength in new[] { 16, 24, 32 })
            {
                byte[] key = Key.Take(keyLength).ToArray();
                using var platform = new System.Security.Cryptography.AesGcm(key, 16);
                using var ours = new OpenSslAesGcm(key);
                foreach (int length in new[] { 0, 1, 15, 16, 17, 255, 4096, 4097, 65536 })
                foreach (int aadLength in new[] { 0, 1, 40 })
                {
                    byte[] iv = new byte[12], aad = new byte[aadLength], plain = new byte[length];
                    random.NextBytes(iv); random.NextBytes(aad); random.NextBytes(plain);
                    byte[] expected = new byte[length], expectedTag = new byte[16], actual = new byte[length], actualTag = new byte[16];
                    platform.Encrypt(iv, plain, expected, expectedTag, aad);
                    ours.Encrypt(iv, aad, plain, actual, actualTag);
                    Assert.Equal(expected, actual);
                    Assert.Equal(expectedTag, actualTag);
                    var opened = new byte[length];
                    Assert.True(ours.TryDecrypt(iv, aad, actual, actualTag, opened));
                    Assert.Equal(plain, opened);
                    byte[] badTag = (byte[])actualTag.Clone(); badTag[15] ^= 0x80;
                    byte[] badIv = (byte[])iv.Clone(); badIv[0] ^= 1;
                    Assert.False(ours.TryDecrypt(iv, aad, actual, badTag, opened));
                    Assert.All(opened, b => Assert.Equal(0, b)); // nothing unauthenticated is left behind
                    Assert.False(ours.TryDecrypt(badIv, aad, actual, actualTag, opened));
                    if (length > 0)
                    {
                        byte[] badText = (byte[])actual.Clone(); badText[length / 2] ^= 4;
                        Assert.False(ours.TryDecrypt(iv, aad, badText, actualTag, opened));
                    }
                    Assert.False(ours.TryDecrypt(iv, aad.Concat(new byte[] { 0 }).ToArray(), actual, actualTag, opened));
                    Assert.True(ours.TryDecrypt(iv, aad, actual, actualTag, opened)); // a failure leaves the context usable
                }
            }
        }
#endif

        [Fact]
        public void ContextEncodingIsLengthPrefixedInOrdinalKeyOrder()
        {
            Assert.Equal(ExpectedContextHex, Hex.ToLower(EncryptionContextEncoding.Encode(Context)));
            Assert.Equal("00000000", Hex.ToLower(EncryptionContextEncoding.Encode(null)));
            Assert.Equal(EncryptionContextEncoding.Encode(null), EncryptionContextEncoding.Encode(new Dictionary<string, string>()));
        }

        [Fact]
        public void ContextsThatConcatenateAlikeDoNotDecryptEachOther()
        {
            var ab = new Dictionary<string, string> { ["ab"] = "c" };
            var a = new Dictionary<string, string> { ["a"] = "bc" };
            Assert.NotEqual(EncryptionContextEncoding.Encode(ab), EncryptionContextEncoding.Encode(a));
            byte[] blob = CiphertextFormat.Seal(Key, KeyId, MaterialId, new byte[] { 1, 2, 3 }, ab);
            AssertInvalidCiphertext(() => CiphertextFormat.Open(Key, blob, a));
        }

        [Fact]
        public void EverySingleByteChangeIsDetected()
        {
            byte[] blob = CiphertextFormat.Seal(Key, KeyId, MaterialId, new byte[] { 1, 2, 3, 4 }, Context);
            for (int i = 0; i < blob.Length; i++)
            {
                byte[] tampered = (byte[])blob.Clone();
                tampered[i] ^= 0x01;
                AssertInvalidCiphertext(() => CiphertextFormat.Open(Key, tampered, Context));
            }
        }

        [Fact]
        public void TruncatedEmptyAndExtendedBlobsAreInvalid()
        {
            byte[] blob = CiphertextFormat.Seal(Key, KeyId, MaterialId, new byte[] { 1, 2, 3, 4 }, null);
            AssertInvalidCiphertext(() => CiphertextFormat.Open(Key, blob.Take(blob.Length - 1).ToArray(), null));
            AssertInvalidCiphertext(() => CiphertextFormat.Open(Key, blob.Take(10).ToArray(), null));
            AssertInvalidCiphertext(() => CiphertextFormat.Open(Key, new byte[0], null));
            AssertInvalidCiphertext(() => CiphertextFormat.Open(Key, blob.Concat(Encoding.ASCII.GetBytes("bad_data")).ToArray(), null));
        }

        [Fact]
        public void EachSealUsesAFreshNonce()
        {
            byte[] first = CiphertextFormat.Seal(Key, KeyId, MaterialId, new byte[] { 9 }, null);
            byte[] second = CiphertextFormat.Seal(Key, KeyId, MaterialId, new byte[] { 9 }, null);
            Assert.NotEqual(first.Skip(51).Take(12), second.Skip(51).Take(12));
        }

        private static void AssertInvalidCiphertext(Action action)
        {
            var error = Assert.Throws<KmsException>(action);
            Assert.Equal("InvalidCiphertextException", error.ErrorCode);
            Assert.Equal(string.Empty, error.Message);
        }

        private static byte[] FromHex(string hex) =>
            Enumerable.Range(0, hex.Length / 2).Select(i => Convert.ToByte(hex.Substring(2 * i, 2), 16)).ToArray();
    }
}
