using System;
using System.Security.Cryptography;
using KmsTools.Crypto;
using Org.BouncyCastle.Asn1.X9;
using Org.BouncyCastle.Crypto.Generators;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Security;

namespace KmsTools.Encryption
{
    /// <summary>
    /// The footer signature of the signed suites: ECDSA (P-384 with SHA-384, or P-256 with SHA-256) over the header
    /// and body, DER-encoded (SEC 1's ECDSA-Sig-Value); its verification key travels in the encryption context as the
    /// base64 of the SEC 1 compressed point (framework/transitive-requirements.md, "ECDSA"). The hash runs on the
    /// platform as the bytes stream by; the signature itself is BouncyCastle's, with RFC 6979 deterministic nonces.
    /// </summary>
    internal static class MessageSignature
    {
        public static IncrementalHash NewHash(AlgorithmSuite suite) =>
            IncrementalHash.CreateHash(suite.SignatureCurve == "P-256" ? HashAlgorithmName.SHA256 : HashAlgorithmName.SHA384);

        /// <summary>A fresh signing key for one message, and its verification key as the context carries it.</summary>
        public static ECPrivateKeyParameters NewSigningKey(AlgorithmSuite suite, out string publicKeyBase64)
        {
            ECDomainParameters domain = Domain(suite);
            var generator = new ECKeyPairGenerator();
            generator.Init(new ECKeyGenerationParameters(domain, new SecureRandom()));
            var pair = generator.GenerateKeyPair();
            publicKeyBase64 = Convert.ToBase64String(((ECPublicKeyParameters)pair.Public).Q.GetEncoded(true));
            return (ECPrivateKeyParameters)pair.Private;
        }

        public static byte[] Sign(AlgorithmSuite suite, ECPrivateKeyParameters key, byte[] digest) =>
            Signatures.Sign(AlgorithmOf(suite), key, digest, isPrecomputed: true);

        /// <summary>Whether the signature verifies under the context's verification key; false for a key that does not decode.</summary>
        public static bool Verify(AlgorithmSuite suite, string publicKeyBase64, byte[] digest, byte[] signature)
        {
            ECPublicKeyParameters key;
            try
            {
                ECDomainParameters domain = Domain(suite);
                key = new ECPublicKeyParameters(domain.Curve.DecodePoint(Convert.FromBase64String(publicKeyBase64)), domain);
            }
            catch (Exception e) when (e is FormatException || e is ArgumentException)
            {
                throw MessageErrors.Malformed("the encryption context", $"its {MessageFormat.PublicKeyContextKey} is not a compressed {suite.SignatureCurve} point.");
            }
            return Signatures.Verify(AlgorithmOf(suite), key, digest, isPrecomputed: true, signature);
        }

        private static string AlgorithmOf(AlgorithmSuite suite) => suite.SignatureCurve == "P-256" ? "ECDSA_SHA_256" : "ECDSA_SHA_384";

        // Built once: a named curve's parameters are a table lookup and point precomputation each time.
        private static readonly ECDomainParameters P256 = new ECDomainParameters(ECNamedCurveTable.GetByName("P-256"));
        private static readonly ECDomainParameters P384 = new ECDomainParameters(ECNamedCurveTable.GetByName("P-384"));

        private static ECDomainParameters Domain(AlgorithmSuite suite) => suite.SignatureCurve == "P-256" ? P256 : P384;
    }
}
