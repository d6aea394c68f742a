using System;
using System.Linq;
using System.Text;
using KmsTools.Model;
using Xunit;

namespace KmsTools.Tests
{
    /// <summary>
    /// The asymmetric and HMAC operations of the engine, on every build: this suite also runs against the net472
    /// build on Mono, what Windows PowerShell 5.1 loads, where every primitive must come from BouncyCastle.
    /// </summary>
    public class AsymmetricOperationTests : IDisposable
    {
        private readonly TestStore _store = new TestStore("cn-north-1");
        private static readonly byte[] Message = Encoding.UTF8.GetBytes("signed on every build");

        public void Dispose() => _store.Dispose();

        private string NewKey(string spec, string usage) =>
            _store.Kms.CreateKey(new CreateKeyRequest { KeySpec = spec, KeyUsage = usage }).KeyMetadata.KeyId;

        [Theory]
        [InlineData("ECC_NIST_P256", "ECDSA_SHA_256")]
        [InlineData("ECC_NIST_P384", "ECDSA_SHA_384")]
        [InlineData("ECC_NIST_P521", "ECDSA_SHA_512")]
        [InlineData("ECC_SECG_P256K1", "ECDSA_SHA_256")]
        [InlineData("ECC_NIST_EDWARDS25519", "ED25519_SHA_512")]
        [InlineData("ECC_NIST_EDWARDS25519", "ED25519_PH_SHA_512")]
        [InlineData("SM2", "SM2DSA")]
        [InlineData("ML_DSA_44", "ML_DSA_SHAKE_256")]
        [InlineData("RSA_2048", "RSASSA_PSS_SHA_256")]
        [InlineData("RSA_2048", "RSASSA_PKCS1_V1_5_SHA_512")]
        public void SignsAndVerifies(string spec, string algorithm)
        {
            string keyId = NewKey(spec, KeyUsageType.SIGN_VERIFY);
            SignResponse signed = _store.Kms.Sign(new SignRequest { KeyId = keyId, Message = Message, SigningAlgorithm = algorithm });
            Assert.Equal(algorithm, signed.SigningAlgorithm);
            Assert.True(_store.Kms.Verify(new VerifyRequest { KeyId = keyId, Message = Message, Signature = signed.Signature, SigningAlgorithm = algorithm }).SignatureValid);
            byte[] altered = (byte[])signed.Signature.Clone();
            altered[altered.Length / 2] ^= 0x01;
            var error = Assert.Throws<KmsException>(() =>
                _store.Kms.Verify(new VerifyRequest { KeyId = keyId, Message = Message, Signature = altered, SigningAlgorithm = algorithm }));
            Assert.Equal(KmsErrorCodes.KMSInvalidSignature, error.ErrorCode);
        }

        [Theory]
        [InlineData("HMAC_224", "HMAC_SHA_224", 28)]
        [InlineData("HMAC_512", "HMAC_SHA_512", 64)]
        public void MakesAndChecksMacs(string spec, string algorithm, int length)
        {
            string keyId = NewKey(spec, KeyUsageType.GENERATE_VERIFY_MAC);
            byte[] mac = _store.Kms.GenerateMac(new GenerateMacRequest { KeyId = keyId, Message = Message, MacAlgorithm = algorithm }).Mac;
            Assert.Equal(length, mac.Length);
            Assert.True(_store.Kms.VerifyMac(new VerifyMacRequest { KeyId = keyId, Message = Message, Mac = mac, MacAlgorithm = algorithm }).MacValid);
            var error = Assert.Throws<KmsException>(() =>
                _store.Kms.VerifyMac(new VerifyMacRequest { KeyId = keyId, Message = Message, Mac = mac.Take(16).ToArray(), MacAlgorithm = algorithm }));
            Assert.Equal(KmsErrorCodes.KMSInvalidMac, error.ErrorCode);
        }

        [Theory]
        [InlineData("RSAES_OAEP_SHA_1")]
        [InlineData("RSAES_OAEP_SHA_256")]
        public void EncryptsAndDecryptsWithRsa(string algorithm)
        {
            string keyId = NewKey("RSA_2048", KeyUsageType.ENCRYPT_DECRYPT);
            byte[] ciphertext = _store.Kms.Encrypt(new EncryptRequest { KeyId = keyId, Plaintext = Message, EncryptionAlgorithm = algorithm }).CiphertextBlob;
            Assert.Equal(256, ciphertext.Length);
            byte[] plaintext = _store.Kms.Decrypt(new DecryptRequest { KeyId = keyId, CiphertextBlob = ciphertext, EncryptionAlgorithm = algorithm }).Plaintext;
            Assert.Equal(Message, plaintext);
        }

        [Theory]
        [InlineData("ECC_NIST_P384", 48)]
        [InlineData("SM2", 32)]
        public void TwoKeysAgreeOnASharedSecret(string spec, int length)
        {
            string a = NewKey(spec, KeyUsageType.KEY_AGREEMENT), b = NewKey(spec, KeyUsageType.KEY_AGREEMENT);
            byte[] ab = _store.Kms.DeriveSharedSecret(new DeriveSharedSecretRequest
            {
                KeyId = a, KeyAgreementAlgorithm = "ECDH", PublicKey = _store.Kms.GetPublicKey(new GetPublicKeyRequest { KeyId = b }).PublicKey,
            }).SharedSecret;
            byte[] ba = _store.Kms.DeriveSharedSecret(new DeriveSharedSecretRequest
            {
                KeyId = b, KeyAgreementAlgorithm = "ECDH", PublicKey = _store.Kms.GetPublicKey(new GetPublicKeyRequest { KeyId = a }).PublicKey,
            }).SharedSecret;
            Assert.Equal(length, ab.Length);
            Assert.Equal(ab, ba);
        }

        // The engine reaches BouncyCastle's sign-from-mu through one private field (PrecomputedMessageRepresentative):
        // this proves it on both builds, net472 on Mono included.
        [Fact]
        public void SignsAnExternalMuAsTheMessage()
        {
            string keyId = NewKey("ML_DSA_65", KeyUsageType.SIGN_VERIFY);
            byte[] spki = _store.Kms.GetPublicKey(new GetPublicKeyRequest { KeyId = keyId }).PublicKey;
            byte[] tr = Shake256(spki.Skip(spki.Length - 1952).ToArray());
            byte[] mu = Shake256(tr.Concat(new byte[2]).Concat(Message).ToArray());
            byte[] signature = _store.Kms.Sign(new SignRequest { KeyId = keyId, Message = mu, MessageType = "EXTERNAL_MU", SigningAlgorithm = "ML_DSA_SHAKE_256" }).Signature;
            Assert.True(_store.Kms.Verify(new VerifyRequest { KeyId = keyId, Message = Message, Signature = signature, SigningAlgorithm = "ML_DSA_SHAKE_256" }).SignatureValid);
            mu[0] ^= 1;
            var error = Assert.Throws<KmsException>(() => _store.Kms.Verify(new VerifyRequest
            {
                KeyId = keyId, Message = mu, MessageType = "EXTERNAL_MU", Signature = signature, SigningAlgorithm = "ML_DSA_SHAKE_256",
            }));
            Assert.Equal(KmsErrorCodes.KMSInvalidSignature, error.ErrorCode);
        }

        [Fact]
        public void SignsAnSm2DigestAsTheMessage()
        {
            string keyId = NewKey("SM2", KeyUsageType.SIGN_VERIFY);
            byte[] spki = _store.Kms.GetPublicKey(new GetPublicKeyRequest { KeyId = keyId }).PublicKey;
            var curve = Org.BouncyCastle.Asn1.GM.GMNamedCurves.GetByName("sm2p256v1");
            byte[] z = Sm3(new byte[] { 0x00, 0x80 }.Concat(Encoding.ASCII.GetBytes("1234567812345678"))
                .Concat(curve.Curve.A.GetEncoded()).Concat(curve.Curve.B.GetEncoded())
                .Concat(curve.G.AffineXCoord.GetEncoded()).Concat(curve.G.AffineYCoord.GetEncoded())
                .Concat(spki.Skip(spki.Length - 64)).ToArray());
            byte[] e = Sm3(z.Concat(Message).ToArray());
            byte[] signature = _store.Kms.Sign(new SignRequest { KeyId = keyId, Message = e, MessageType = "DIGEST", SigningAlgorithm = "SM2DSA" }).Signature;
            Assert.True(_store.Kms.Verify(new VerifyRequest { KeyId = keyId, Message = Message, Signature = signature, SigningAlgorithm = "SM2DSA" }).SignatureValid);
        }

        private static byte[] Shake256(byte[] input)
        {
            var shake = new Org.BouncyCastle.Crypto.Digests.ShakeDigest(256);
            shake.BlockUpdate(input, 0, input.Length);
            byte[] output = new byte[64];
            shake.OutputFinal(output, 0, 64);
            return output;
        }

        private static byte[] Sm3(byte[] input)
        {
            var sm3 = new Org.BouncyCastle.Crypto.Digests.SM3Digest();
            sm3.BlockUpdate(input, 0, input.Length);
            byte[] output = new byte[32];
            sm3.DoFinal(output, 0);
            return output;
        }
    }
}
