using System.Security.Cryptography;

namespace KmsTools.Crypto
{
    /// <summary>Fresh bytes from the platform's cryptographic random source: key material, data keys, ids, message ids.</summary>
    internal static class Randomness
    {
        public static byte[] Bytes(int count)
        {
            var bytes = new byte[count];
            using (var rng = RandomNumberGenerator.Create()) rng.GetBytes(bytes);
            return bytes;
        }
    }
}
