using System.Text;
using KmsTools.Crypto;
using Xunit;

namespace KmsTools.Tests
{
    /// <summary>The MACs of GenerateMac are RFC 2104 HMACs: RFC 4231's test case 2 for each algorithm KMS offers.</summary>
    public class HmacTests
    {
        [Theory]
        [InlineData("HMAC_SHA_224", "a30e01098bc6dbbf45690f3a7e9e6d0f8bbea2a39e6148008fd05e44")]
        [InlineData("HMAC_SHA_256", "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")]
        [InlineData("HMAC_SHA_384", "af45d2e376484031617f78d2b58a6b1b9c7ef464f5a01b47e42ec3736322445e8e2240ca5e69e2c78b3239ecfab21649")]
        [InlineData("HMAC_SHA_512", "164b7a7bfcf819e2e395fbe73b56e0a387bd64222e831fd610270cd7ea2505549758bf75c05a994a6d034f65f8f0e6fdcaeab1a34d4a6b4b636e070a38bce737")]
        public void MatchesRfc4231(string algorithm, string expected)
        {
            byte[] key = Encoding.ASCII.GetBytes("Jefe");
            byte[] message = Encoding.ASCII.GetBytes("what do ya want for nothing?");
            Assert.Equal(expected, Hex.ToLower(Hmac.Compute(algorithm, key, message)));
            Assert.True(Hmac.Matches(algorithm, key, message, FromHex(expected)));
            byte[] truncated = FromHex(expected.Substring(0, 32));
            Assert.False(Hmac.Matches(algorithm, key, message, truncated));
        }

        private static byte[] FromHex(string hex)
        {
            var bytes = new byte[hex.Length / 2];
            Hex.Decode(hex, bytes, 0, bytes.Length);
            return bytes;
        }
    }
}
