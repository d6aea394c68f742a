using System.Collections.Generic;
using System.Linq;
using KmsTools.Crypto;
using KmsTools.Model;
using Org.BouncyCastle.Asn1.Pkcs;
using Org.BouncyCastle.Asn1.X509;
using Xunit;

namespace KmsTools.Tests
{
    /// <summary>One pair per spec, generated once for the whole class: RSA_4096 takes seconds.</summary>
    public sealed class GeneratedPairs
    {
        public Dictionary<string, GeneratedKeyPair> BySpec { get; } =
            DataKeyPairSpec.Values.ToDictionary(spec => spec, KeyPairGenerator.Generate);
    }

    public class KeyPairGeneratorTests : IClassFixture<GeneratedPairs>
    {
        private readonly GeneratedPairs _pairs;

        public KeyPairGeneratorTests(GeneratedPairs pairs) => _pairs = pairs;

        public static IEnumerable<object[]> Specs => DataKeyPairSpec.Values.Select(s => new object[] { s });

        [Theory]
        [MemberData(nameof(Specs))]
        public void PrivateKeyIsPkcs8WhosePublicHalfEqualsThePublicKey(string spec)
        {
            GeneratedKeyPair pair = _pairs.BySpec[spec];
            Assert.NotNull(PrivateKeyInfo.GetInstance(pair.PrivateKeyPkcs8));
            Assert.Equal(pair.PublicKeyInfo, KeyPairGenerator.PublicKeyInfoOf(pair.PrivateKeyPkcs8));
        }

        [Theory]
        [InlineData("RSA_2048", "1.2.840.113549.1.1.1", null)]
        [InlineData("RSA_3072", "1.2.840.113549.1.1.1", null)]
        [InlineData("RSA_4096", "1.2.840.113549.1.1.1", null)]
        [InlineData("ECC_NIST_P256", "1.2.840.10045.2.1", "1.2.840.10045.3.1.7")]
        [InlineData("ECC_NIST_P384", "1.2.840.10045.2.1", "1.3.132.0.34")]
        [InlineData("ECC_NIST_P521", "1.2.840.10045.2.1", "1.3.132.0.35")]
        [InlineData("ECC_SECG_P256K1", "1.2.840.10045.2.1", "1.3.132.0.10")]
        [InlineData("SM2", "1.2.840.10045.2.1", "1.2.156.10197.1.301")]
        [InlineData("ECC_NIST_EDWARDS25519", "1.3.101.112", null)]
        public void PublicKeyIsSubjectPublicKeyInfoOfTheSpec(string spec, string algorithm, string curve)
        {
            var info = SubjectPublicKeyInfo.GetInstance(_pairs.BySpec[spec].PublicKeyInfo);
            Assert.Equal(algorithm, info.Algorithm.Algorithm.Id);
            if (curve != null) Assert.Equal(curve, info.Algorithm.Parameters.ToString());
            if (spec.StartsWith("RSA_"))
                Assert.Equal(int.Parse(spec.Substring(4)), RsaPublicKeyStructure.GetInstance(info.ParsePublicKey()).Modulus.BitLength);
        }

        [Fact]
        public void DisposeZeroesThePrivateKey()
        {
            GeneratedKeyPair pair = KeyPairGenerator.Generate(DataKeyPairSpec.ECC_NIST_P256);
            byte[] privateKey = pair.PrivateKeyPkcs8;
            pair.Dispose();
            Assert.All(privateKey, b => Assert.Equal(0, b));
        }
    }
}
