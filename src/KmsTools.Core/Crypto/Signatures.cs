using System;
using System.Collections.Generic;
using Org.BouncyCastle.Asn1.Nist;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Digests;
using Org.BouncyCastle.Crypto.Engines;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Crypto.Signers;
using Org.BouncyCastle.Math.EC.Rfc8032;
using Org.BouncyCastle.Security;

namespace KmsTools.Crypto
{
    /// <summary>
    /// The signatures KMS makes with asymmetric keys, in the form KMS returns them: RSASSA-PSS (MGF1 with the same hash,
    /// salt as long as the hash) and PKCS #1 v1.5 signatures; ECDSA as DER SEQUENCE { r, s }; Ed25519 (RFC 8032, pure
    /// and Ed25519ph); SM2 (GB/T 32918, the default distinguishing id 1234567812345678); ML-DSA (FIPS 204, empty
    /// context). A DIGEST message is the hash the algorithm would compute (SM2DSA: SM3(Z(A) || M)), an EXTERNAL_MU the
    /// mu ML-DSA would compute, each signed as such. BouncyCastle everywhere, so that the net472 build on Mono and
    /// Windows PowerShell signs exactly as PowerShell 7 does.
    /// </summary>
    public static class Signatures
    {
        /// <summary>The digest length an algorithm requires of a DIGEST message, or 0 when it takes none.</summary>
        public static int DigestLength(string signingAlgorithm)
        {
            switch (signingAlgorithm)
            {
                case "RSASSA_PSS_SHA_256": case "RSASSA_PKCS1_V1_5_SHA_256": case "ECDSA_SHA_256": case "SM2DSA": return 32;
                case "RSASSA_PSS_SHA_384": case "RSASSA_PKCS1_V1_5_SHA_384": case "ECDSA_SHA_384": return 48;
                case "RSASSA_PSS_SHA_512": case "RSASSA_PKCS1_V1_5_SHA_512": case "ECDSA_SHA_512": case "ED25519_PH_SHA_512": return 64;
                default: return 0;
            }
        }

        /// <summary>
        /// The message types KMS takes with an algorithm: RAW always; DIGEST where the algorithm hashes first (not
        /// ED25519_SHA_512, which signs the message itself, nor ML-DSA); EXTERNAL_MU with ML-DSA only.
        /// </summary>
        public static IReadOnlyList<string> MessageTypes(string signingAlgorithm)
        {
            if (signingAlgorithm == "ML_DSA_SHAKE_256") return new[] { "RAW", "EXTERNAL_MU" };
            return DigestLength(signingAlgorithm) > 0 ? new[] { "RAW", "DIGEST" } : new[] { "RAW" };
        }

        /// <summary>
        /// Signs a message, or with <paramref name="isPrecomputed"/> what the algorithm would compute from it first: a
        /// DIGEST (for SM2DSA, SM3(Z(A) || M)) or an ML-DSA EXTERNAL_MU.
        /// </summary>
        public static byte[] Sign(string signingAlgorithm, AsymmetricKeyParameter key, byte[] message, bool isPrecomputed)
        {
            ISigner signer = SignerFor(signingAlgorithm, isPrecomputed, message, key, forSigning: true);
            signer.BlockUpdate(message, 0, message.Length);
            return signer.GenerateSignature();
        }

        public static bool Verify(string signingAlgorithm, AsymmetricKeyParameter key, byte[] message, bool isPrecomputed, byte[] signature)
        {
            ISigner signer = SignerFor(signingAlgorithm, isPrecomputed, message, key, forSigning: false);
            signer.BlockUpdate(message, 0, message.Length);
            try
            {
                return signer.VerifySignature(signature);
            }
            catch (Exception e) when (e is ArgumentException || e is InvalidOperationException || e is CryptoException || e is FormatException || e is System.IO.IOException)
            {
                return false; // a signature that does not even parse (DER, length) is not valid
            }
        }

        /// <summary>Whether this build can sign an ML-DSA EXTERNAL_MU (see PrecomputedMessageRepresentative).</summary>
        public static bool SupportsExternalMu => PrecomputedMessageRepresentative.SupportsExternalMu;

        private static ISigner SignerFor(string algorithm, bool isPrecomputed, byte[] message, AsymmetricKeyParameter key, bool forSigning)
        {
            ISigner signer;
            ICipherParameters parameters = key;
            switch (algorithm)
            {
                case "RSASSA_PSS_SHA_256": case "RSASSA_PSS_SHA_384": case "RSASSA_PSS_SHA_512":
                {
                    IDigest digest = Hash(algorithm);
                    int saltLength = digest.GetDigestSize();
                    signer = isPrecomputed
                        ? PssSigner.CreateRawSigner(new RsaBlindedEngine(), digest, Hash(algorithm), saltLength, PssSigner.TrailerImplicit)
                        : new PssSigner(new RsaBlindedEngine(), digest, Hash(algorithm), saltLength);
                    if (forSigning) parameters = new ParametersWithRandom(key, new SecureRandom());
                    break;
                }
                case "RSASSA_PKCS1_V1_5_SHA_256": case "RSASSA_PKCS1_V1_5_SHA_384": case "RSASSA_PKCS1_V1_5_SHA_512":
                    signer = isPrecomputed ? new RsaDigestSigner(new NullDigest(), DigestOid(algorithm)) : new RsaDigestSigner(Hash(algorithm));
                    break;
                case "ECDSA_SHA_256": case "ECDSA_SHA_384": case "ECDSA_SHA_512":
                    // Deterministic k (RFC 6979): no dependence on the quality of a random source at signing time.
                    signer = new DsaDigestSigner(new ECDsaSigner(new HMacDsaKCalculator(Hash(algorithm))),
                        isPrecomputed ? (IDigest)new NullDigest() : Hash(algorithm), StandardDsaEncoding.Instance);
                    break;
                case "ED25519_SHA_512":
                    signer = new Ed25519Signer();
                    break;
                case "ED25519_PH_SHA_512":
                    signer = isPrecomputed ? (ISigner)new Ed25519PrehashedSigner() : new Ed25519phSigner(new byte[0]);
                    break;
                case "ML_DSA_SHAKE_256":
                    // FIPS 204 ML-DSA with an empty context, hedged (fresh randomness per signature), as KMS signs RAW messages.
                    MLDsaParameters mlDsa = key is MLDsaPrivateKeyParameters priv ? priv.Parameters : ((MLDsaPublicKeyParameters)key).Parameters;
                    var mlDsaSigner = new MLDsaSigner(mlDsa, deterministic: false);
                    mlDsaSigner.Init(forSigning, forSigning ? new ParametersWithRandom(key, new SecureRandom()) : (ICipherParameters)key);
                    if (isPrecomputed) PrecomputedMessageRepresentative.UseExternalMu(mlDsaSigner, message);
                    return mlDsaSigner;
                case "SM2DSA":
                    signer = new SM2Signer(StandardDsaEncoding.Instance, isPrecomputed ? new PrecomputedMessageRepresentative.Sm2Digest(message) : (IDigest)new SM3Digest());
                    parameters = new ParametersWithID(forSigning ? new ParametersWithRandom(key, new SecureRandom()) : (ICipherParameters)key,
                        System.Text.Encoding.ASCII.GetBytes("1234567812345678"));
                    break;
                default:
                    throw new ArgumentException("Unknown signing algorithm " + algorithm, nameof(algorithm));
            }
            signer.Init(forSigning, parameters);
            return signer;
        }

        private static IDigest Hash(string algorithm)
        {
            if (algorithm.EndsWith("_256", StringComparison.Ordinal)) return new Sha256Digest();
            if (algorithm.EndsWith("_384", StringComparison.Ordinal)) return new Sha384Digest();
            return new Sha512Digest();
        }

        private static Org.BouncyCastle.Asn1.DerObjectIdentifier DigestOid(string algorithm)
        {
            if (algorithm.EndsWith("_256", StringComparison.Ordinal)) return NistObjectIdentifiers.IdSha256;
            if (algorithm.EndsWith("_384", StringComparison.Ordinal)) return NistObjectIdentifiers.IdSha384;
            return NistObjectIdentifiers.IdSha512;
        }

        /// <summary>
        /// Ed25519ph of a SHA-512 digest the caller computed: RFC 8032's PH(M) is that digest, so signing it is
        /// Ed25519ctx's "prehash" path with the digest as the 64-byte input.
        /// </summary>
        private sealed class Ed25519PrehashedSigner : ISigner
        {
            private readonly System.IO.MemoryStream _digest = new System.IO.MemoryStream();
            private Ed25519PrivateKeyParameters _private;
            private Ed25519PublicKeyParameters _public;

            public string AlgorithmName => "Ed25519ph (prehashed)";

            public void Init(bool forSigning, ICipherParameters parameters)
            {
                _private = forSigning ? (Ed25519PrivateKeyParameters)parameters : null;
                _public = forSigning ? null : (Ed25519PublicKeyParameters)parameters;
                _digest.SetLength(0);
            }

            public void Update(byte input) => _digest.WriteByte(input);
            public void BlockUpdate(byte[] input, int inOff, int inLen) => _digest.Write(input, inOff, inLen);
#if NET
            public void BlockUpdate(ReadOnlySpan<byte> input) => _digest.Write(input);
#endif
            public int GetMaxSignatureSize() => Ed25519PrivateKeyParameters.SignatureSize;

            public byte[] GenerateSignature()
            {
                byte[] signature = new byte[Ed25519PrivateKeyParameters.SignatureSize];
                byte[] digest = _digest.ToArray();
                _private.Sign(Ed25519.Algorithm.Ed25519ph, new byte[0], digest, 0, digest.Length, signature, 0);
                return signature;
            }

            public bool VerifySignature(byte[] signature)
            {
                byte[] digest = _digest.ToArray();
                return signature != null && signature.Length == Ed25519PrivateKeyParameters.SignatureSize
                    && _public.Verify(Ed25519.Algorithm.Ed25519ph, new byte[0], digest, 0, digest.Length, signature, 0);
            }

            public void Reset() => _digest.SetLength(0);
        }
    }
}
