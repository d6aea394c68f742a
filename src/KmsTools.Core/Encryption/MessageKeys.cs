using System;
using System.Security.Cryptography;
using System.Text;
using KmsTools.Crypto;

namespace KmsTools.Encryption
{
    /// <summary>
    /// The keys a message is encrypted under, derived from its data key as framework/transitive-requirements.md
    /// says: the identity KDF (the data key itself) for the NO_KDF suites; HKDF with the suite's hash, a zero salt and
    /// info = suite id || message id for the other version 1 suites; for the committing suites one HKDF-SHA512 extract
    /// with the message id as salt, expanded with info = suite id || "DERIVEKEY" to the encryption key and with info
    /// = "COMMITKEY" to the commit key the header carries.
    /// </summary>
    internal static class MessageKeys
    {
        private static readonly byte[] DeriveKeyLabel = Encoding.ASCII.GetBytes("DERIVEKEY");
        private static readonly byte[] CommitKeyLabel = Encoding.ASCII.GetBytes("COMMITKEY");

        /// <summary>The encryption key and, for committing suites, the commit key (else null). The caller zeroes both.</summary>
        public static byte[] Derive(AlgorithmSuite suite, byte[] dataKey, byte[] messageId, out byte[] commitKey)
        {
            commitKey = null;
            if (dataKey == null || dataKey.Length != suite.KeyLength)
                throw new ArgumentException($"The suite {suite.Name} takes a {suite.KeyLength}-byte data key.", nameof(dataKey));
            if (suite.KdfHash == null) return (byte[])dataKey.Clone();
            byte[] suiteId = { (byte)(suite.Id >> 8), (byte)suite.Id };
            if (!suite.IsCommitting)
            {
                int hashLength = HashLength(suite.KdfHash);
                byte[] prk = Extract(suite.KdfHash, new byte[hashLength], dataKey);
                try
                {
                    return Expand(suite.KdfHash, prk, Concat(suiteId, messageId), suite.KeyLength);
                }
                finally
                {
                    SecureBytes.Clear(prk);
                }
            }
            byte[] pseudoRandomKey = Extract(suite.KdfHash, messageId, dataKey);
            try
            {
                commitKey = Expand(suite.KdfHash, pseudoRandomKey, CommitKeyLabel, suite.SuiteDataLength);
                return Expand(suite.KdfHash, pseudoRandomKey, Concat(suiteId, DeriveKeyLabel), suite.KeyLength);
            }
            finally
            {
                SecureBytes.Clear(pseudoRandomKey);
            }
        }

        /// <summary>Constant-time comparison of a derived and a stored commit key.</summary>
        public static bool SameCommitKey(byte[] derived, byte[] stored)
        {
            if (derived == null || stored == null || derived.Length != stored.Length) return false;
            int difference = 0;
            for (int i = 0; i < derived.Length; i++) difference |= derived[i] ^ stored[i];
            return difference == 0;
        }

        private static int HashLength(string hash) => hash == "SHA256" ? 32 : hash == "SHA384" ? 48 : 64;

#if NET
        // RFC 5869 through the platform (OpenSSL, CNG).
        private static byte[] Extract(string hash, byte[] salt, byte[] inputKey) => HKDF.Extract(new HashAlgorithmName(hash), inputKey, salt);

        private static byte[] Expand(string hash, byte[] prk, byte[] info, int length) => HKDF.Expand(new HashAlgorithmName(hash), prk, length, info);
#else
        // .NET Framework has no HKDF: the extract is the platform's HMAC (RFC 5869: PRK = HMAC(salt, IKM)), the expand BouncyCastle's.
        private static byte[] Extract(string hash, byte[] salt, byte[] inputKey)
        {
            using (HMAC hmac = hash == "SHA256" ? new HMACSHA256(salt) : hash == "SHA384" ? (HMAC)new HMACSHA384(salt) : new HMACSHA512(salt))
                return hmac.ComputeHash(inputKey);
        }

        private static byte[] Expand(string hash, byte[] prk, byte[] info, int length)
        {
            Org.BouncyCastle.Crypto.IDigest digest = hash == "SHA256" ? new Org.BouncyCastle.Crypto.Digests.Sha256Digest()
                : hash == "SHA384" ? (Org.BouncyCastle.Crypto.IDigest)new Org.BouncyCastle.Crypto.Digests.Sha384Digest() : new Org.BouncyCastle.Crypto.Digests.Sha512Digest();
            var generator = new Org.BouncyCastle.Crypto.Generators.HkdfBytesGenerator(digest);
            generator.Init(Org.BouncyCastle.Crypto.Parameters.HkdfParameters.SkipExtractParameters(prk, info));
            var output = new byte[length];
            generator.GenerateBytes(output, 0, length);
            return output;
        }
#endif

        private static byte[] Concat(byte[] a, byte[] b)
        {
            var result = new byte[a.Length + b.Length];
            Buffer.BlockCopy(a, 0, result, 0, a.Length);
            Buffer.BlockCopy(b, 0, result, a.Length, b.Length);
            return result;
        }
    }
}
