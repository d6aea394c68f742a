using System;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Digests;
using Org.BouncyCastle.Crypto.Macs;
using Org.BouncyCastle.Crypto.Parameters;

namespace KmsTools.Crypto
{
    /// <summary>
    /// RFC 2104 HMACs, as KMS computes them for GenerateMac and VerifyMac: the key material itself is the HMAC key, so the
    /// same material anywhere gives the same MAC. BouncyCastle's, because .NET has no HMAC-SHA-224 and none on Mono.
    /// </summary>
    public static class Hmac
    {
        public static byte[] Compute(string macAlgorithm, byte[] key, byte[] message)
        {
            var mac = new HMac(Digest(macAlgorithm));
            var parameter = new KeyParameter(key);
            try
            {
                mac.Init(parameter);
                mac.BlockUpdate(message, 0, message.Length);
                byte[] result = new byte[mac.GetMacSize()];
                mac.DoFinal(result, 0);
                return result;
            }
            finally
            {
                // HMac keeps the key's inner and outer pads; a reset with no key leaves them, so overwrite them.
                mac.Init(new KeyParameter(new byte[1]));
            }
        }

        /// <summary>Whether <paramref name="candidate"/> is the MAC, in time that does not depend on where they differ.</summary>
        public static bool Matches(string macAlgorithm, byte[] key, byte[] message, byte[] candidate)
        {
            byte[] expected = Compute(macAlgorithm, key, message);
            try
            {
                return candidate != null && Org.BouncyCastle.Utilities.Arrays.FixedTimeEquals(expected, candidate);
            }
            finally
            {
                SecureBytes.Clear(expected);
            }
        }

        private static IDigest Digest(string macAlgorithm)
        {
            switch (macAlgorithm)
            {
                case "HMAC_SHA_224": return new Sha224Digest();
                case "HMAC_SHA_256": return new Sha256Digest();
                case "HMAC_SHA_384": return new Sha384Digest();
                case "HMAC_SHA_512": return new Sha512Digest();
                default: throw new ArgumentException("Unknown MAC algorithm " + macAlgorithm, nameof(macAlgorithm));
            }
        }
    }
}
