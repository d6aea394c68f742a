using System;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Digests;
using Org.BouncyCastle.Crypto.Encodings;
using Org.BouncyCastle.Crypto.Engines;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Security;

namespace KmsTools.Crypto
{
    /// <summary>
    /// Encryption with an asymmetric KMS key, as KMS does it: RSAES-OAEP (RFC 8017) with SHA-1 or SHA-256 and MGF1 with
    /// the same hash, no label. The ciphertext is the raw OAEP output, as AWS returns it, so that anyone with the public
    /// key (openssl pkeyutl, .NET, any library) can make ciphertexts the KMS key decrypts.
    /// </summary>
    public static class AsymmetricCipher
    {
        /// <summary>The largest plaintext, in bytes, for an algorithm and RSA key spec (k - 2hLen - 2).</summary>
        public static int MaxPlaintext(string encryptionAlgorithm, string keySpec)
        {
            int modulusBytes = int.Parse(keySpec.Substring("RSA_".Length)) / 8;
            int hashBytes = encryptionAlgorithm == "RSAES_OAEP_SHA_1" ? 20 : 32;
            return modulusBytes - 2 * hashBytes - 2;
        }

        public static byte[] Encrypt(string encryptionAlgorithm, AsymmetricKeyParameter publicKey, byte[] plaintext)
        {
            IAsymmetricBlockCipher cipher = Oaep(encryptionAlgorithm);
            cipher.Init(true, new ParametersWithRandom(publicKey, new SecureRandom()));
            return cipher.ProcessBlock(plaintext, 0, plaintext.Length);
        }

        /// <summary>The plaintext, or null when the ciphertext is not one this key and algorithm made.</summary>
        public static byte[] Decrypt(string encryptionAlgorithm, AsymmetricKeyParameter privateKey, byte[] ciphertext)
        {
            IAsymmetricBlockCipher cipher = Oaep(encryptionAlgorithm);
            cipher.Init(false, privateKey);
            try
            {
                return cipher.ProcessBlock(ciphertext, 0, ciphertext.Length);
            }
            catch (Exception e) when (e is InvalidCipherTextException || e is DataLengthException || e is ArgumentException)
            {
                return null;
            }
        }

        private static IAsymmetricBlockCipher Oaep(string encryptionAlgorithm)
        {
            switch (encryptionAlgorithm)
            {
                case "RSAES_OAEP_SHA_1": return new OaepEncoding(new RsaBlindedEngine(), new Sha1Digest(), new Sha1Digest(), null);
                case "RSAES_OAEP_SHA_256": return new OaepEncoding(new RsaBlindedEngine(), new Sha256Digest(), new Sha256Digest(), null);
                default: throw new ArgumentException("Not an RSA encryption algorithm: " + encryptionAlgorithm, nameof(encryptionAlgorithm));
            }
        }
    }
}
