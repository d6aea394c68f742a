using System;
using System.Collections.Concurrent;
using System.Security.Cryptography;
using KmsTools.Model;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.EdEC;
using Org.BouncyCastle.Asn1.GM;
using Org.BouncyCastle.Asn1.Pkcs;
using Org.BouncyCastle.Asn1.Sec;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Asn1.X9;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Generators;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Pkcs;
using Org.BouncyCastle.Security;
using Org.BouncyCastle.X509;
using BcBigInteger = Org.BouncyCastle.Math.BigInteger;

namespace KmsTools.Crypto
{
    /// <summary>A fresh key pair: DER SubjectPublicKeyInfo and DER PKCS#8 PrivateKeyInfo. Dispose zeroes the private key.</summary>
    public sealed class GeneratedKeyPair : IDisposable
    {
        internal GeneratedKeyPair(byte[] publicKeyInfo, byte[] privateKeyPkcs8)
        {
            PublicKeyInfo = publicKeyInfo;
            PrivateKeyPkcs8 = privateKeyPkcs8;
        }

        public byte[] PublicKeyInfo { get; }
        public byte[] PrivateKeyPkcs8 { get; }

        public void Dispose() => SecureBytes.Clear(PrivateKeyPkcs8);
    }

    /// <summary>
    /// Generates key pairs for every DataKeyPairSpec (and the asymmetric KMS key specs, which share the names).
    /// The platform (OpenSSL on Linux, CNG on Windows) generates RSA and the NIST curves, measured about 15x faster
    /// for P-256 and 3x for RSA than BouncyCastle; BouncyCastle generates what the platform lacks (SM2, Ed25519,
    /// and secp256k1 where the platform has no such curve) and does all the DER encoding.
    /// </summary>
    public static class KeyPairGenerator
    {
        private static readonly SecureRandom Random = new SecureRandom();

        // Curves the platform turned out not to generate here (OpenSSL without secp256k1, Mono's missing ECDsa):
        // learnt at first use, after which BouncyCastle serves them.
        private static readonly ConcurrentDictionary<string, bool> PlatformLacks = new ConcurrentDictionary<string, bool>();

        // The named curve of each EC spec (SM2 apart: BouncyCastle's alone), read both ways: to generate a key of a
        // spec, and to tell the spec of a key given as PKCS#8 (seed files).
        private static readonly (string Spec, DerObjectIdentifier Curve)[] EcCurves =
        {
            (DataKeyPairSpec.ECC_NIST_P256, SecObjectIdentifiers.SecP256r1),
            (DataKeyPairSpec.ECC_NIST_P384, SecObjectIdentifiers.SecP384r1),
            (DataKeyPairSpec.ECC_NIST_P521, SecObjectIdentifiers.SecP521r1),
            (DataKeyPairSpec.ECC_SECG_P256K1, SecObjectIdentifiers.SecP256k1),
            (DataKeyPairSpec.SM2, GMObjectIdentifiers.sm2p256v1),
        };

        private static readonly (string Spec, MLDsaParameters Parameters)[] MlDsaSets =
        {
            (KeySpec.ML_DSA_44, MLDsaParameters.ml_dsa_44), (KeySpec.ML_DSA_65, MLDsaParameters.ml_dsa_65), (KeySpec.ML_DSA_87, MLDsaParameters.ml_dsa_87),
        };

        private static readonly int[] RsaSizes = { 2048, 3072, 4096 };

        public static GeneratedKeyPair Generate(string spec)
        {
            switch (spec)
            {
                case DataKeyPairSpec.RSA_2048: return GenerateRsa(2048);
                case DataKeyPairSpec.RSA_3072: return GenerateRsa(3072);
                case DataKeyPairSpec.RSA_4096: return GenerateRsa(4096);
                case DataKeyPairSpec.ECC_NIST_P256:
                case DataKeyPairSpec.ECC_NIST_P384:
                case DataKeyPairSpec.ECC_NIST_P521:
                case DataKeyPairSpec.ECC_SECG_P256K1:
                    return GenerateEc(Array.Find(EcCurves, c => c.Spec == spec).Curve);
                case DataKeyPairSpec.SM2:
                    return GenerateBouncyCastleEc(GMObjectIdentifiers.sm2p256v1, GMNamedCurves.GetByOid(GMObjectIdentifiers.sm2p256v1));
                case DataKeyPairSpec.ECC_NIST_EDWARDS25519: return GenerateEd25519();
                // KMS key specs only (no data key pairs): FIPS 204 ML-DSA, from BouncyCastle.
                case KeySpec.ML_DSA_44:
                case KeySpec.ML_DSA_65:
                case KeySpec.ML_DSA_87:
                    return GenerateMlDsa(Array.Find(MlDsaSets, m => m.Spec == spec).Parameters);
                default: throw new ArgumentOutOfRangeException(nameof(spec), spec, "Not a key pair spec.");
            }
        }

        private static GeneratedKeyPair GenerateRsa(int bits)
        {
            if (!RsaKeyPool.TryTake(bits, out RSAParameters p)) p = NewRsaParameters(bits);
            return EncodeRsa(p);
        }

        private static volatile bool _platformRsaFails;

        /// <summary>
        /// A fresh RSA key's parameters (the caller zeroes the private ones): the platform's, unless it fails or,
        /// as Mono's RSA.Create(bits) does, quietly makes a key of another size; then BouncyCastle's.
        /// </summary>
        internal static RSAParameters NewRsaParameters(int bits)
        {
            if (!_platformRsaFails)
            {
                try
                {
                    RSAParameters p;
                    using (RSA rsa = RSA.Create(bits))
                        p = rsa.ExportParameters(true);
                    if (p.Modulus != null && p.Modulus.Length * 8 == bits) return p;
                    SecureBytes.Clear(p.D, p.P, p.Q, p.DP, p.DQ, p.InverseQ);
                }
                catch (Exception e) when (e is CryptographicException || e is PlatformNotSupportedException || e is NotImplementedException)
                {
                }
                _platformRsaFails = true;
            }
            var generator = new RsaKeyPairGenerator();
            generator.Init(new RsaKeyGenerationParameters(BcBigInteger.ValueOf(65537), Random, bits, 100));
            var key = (RsaPrivateCrtKeyParameters)generator.GenerateKeyPair().Private;
            return new RSAParameters
            {
                Modulus = key.Modulus.ToByteArrayUnsigned(), Exponent = key.PublicExponent.ToByteArrayUnsigned(),
                D = key.Exponent.ToByteArrayUnsigned(), P = key.P.ToByteArrayUnsigned(), Q = key.Q.ToByteArrayUnsigned(),
                DP = key.DP.ToByteArrayUnsigned(), DQ = key.DQ.ToByteArrayUnsigned(), InverseQ = key.QInv.ToByteArrayUnsigned(),
            };
        }

        /// <summary>DER-encodes an RSA key (SPKI and PKCS#8) and zeroes its private parameters.</summary>
        internal static GeneratedKeyPair EncodeRsa(RSAParameters p)
        {
            try
            {
                var algorithm = new AlgorithmIdentifier(PkcsObjectIdentifiers.RsaEncryption, DerNull.Instance);
                byte[] publicKey = new SubjectPublicKeyInfo(algorithm,
                    new RsaPublicKeyStructure(Positive(p.Modulus), Positive(p.Exponent))).GetDerEncoded();
                var privateKey = new RsaPrivateKeyStructure(Positive(p.Modulus), Positive(p.Exponent), Positive(p.D),
                    Positive(p.P), Positive(p.Q), Positive(p.DP), Positive(p.DQ), Positive(p.InverseQ));
                return new GeneratedKeyPair(publicKey, new PrivateKeyInfo(algorithm, privateKey).GetDerEncoded());
            }
            finally
            {
                SecureBytes.Clear(p.D, p.P, p.Q, p.DP, p.DQ, p.InverseQ);
            }
        }

        /// <summary>A key pair on a named curve: the platform's where it generates that curve here, else BouncyCastle's.</summary>
        private static GeneratedKeyPair GenerateEc(DerObjectIdentifier curveOid)
        {
            if (!PlatformLacks.ContainsKey(curveOid.Id))
            {
                try
                {
                    ECParameters p;
                    using (var ec = ECDsa.Create(PlatformCurve(curveOid)))
                        p = ec.ExportParameters(true);
                    return EncodePlatformEc(p, curveOid);
                }
                catch (Exception e) when (e is CryptographicException || e is PlatformNotSupportedException || e is NotSupportedException
                                          || e is NotImplementedException || e is EntryPointNotFoundException)
                {
                    PlatformLacks[curveOid.Id] = true;
                }
            }
            return GenerateBouncyCastleEc(curveOid, ECNamedCurveTable.GetByOid(curveOid));
        }

        private static ECCurve PlatformCurve(DerObjectIdentifier curveOid)
        {
            if (curveOid.Equals(SecObjectIdentifiers.SecP256r1)) return ECCurve.NamedCurves.nistP256;
            if (curveOid.Equals(SecObjectIdentifiers.SecP384r1)) return ECCurve.NamedCurves.nistP384;
            if (curveOid.Equals(SecObjectIdentifiers.SecP521r1)) return ECCurve.NamedCurves.nistP521;
            return ECCurve.CreateFromValue(curveOid.Id);
        }

        private static GeneratedKeyPair EncodePlatformEc(ECParameters p, DerObjectIdentifier curveOid)
        {
            try
            {
                var point = new byte[1 + p.Q.X.Length + p.Q.Y.Length];
                point[0] = 0x04; // uncompressed, as KMS returns it
                Buffer.BlockCopy(p.Q.X, 0, point, 1, p.Q.X.Length);
                Buffer.BlockCopy(p.Q.Y, 0, point, 1 + p.Q.X.Length, p.Q.Y.Length);
                var algorithm = new AlgorithmIdentifier(X9ObjectIdentifiers.IdECPublicKey, curveOid);
                byte[] publicKey = new SubjectPublicKeyInfo(algorithm, point).GetDerEncoded();
                // RFC 5915 ECPrivateKey, curve named once in the PKCS#8 algorithm identifier.
                var ecPrivateKey = new DerSequence(
                    DerInteger.One,
                    new DerOctetString(p.D),
                    new DerTaggedObject(true, 1, new DerBitString(point)));
                return new GeneratedKeyPair(publicKey, new PrivateKeyInfo(algorithm, ecPrivateKey).GetDerEncoded());
            }
            finally
            {
                SecureBytes.Clear(p.D);
            }
        }

        private static GeneratedKeyPair GenerateBouncyCastleEc(DerObjectIdentifier curveOid, X9ECParameters curve)
        {
            var generator = new ECKeyPairGenerator();
            generator.Init(new ECKeyGenerationParameters(new ECNamedDomainParameters(curveOid, curve), Random));
            return Encode(generator.GenerateKeyPair());
        }

        private static GeneratedKeyPair GenerateEd25519()
        {
            var generator = new Ed25519KeyPairGenerator();
            generator.Init(new Ed25519KeyGenerationParameters(Random));
            AsymmetricCipherKeyPair pair = generator.GenerateKeyPair();
            byte[] seed = ((Ed25519PrivateKeyParameters)pair.Private).GetEncoded();
            try
            {
                // RFC 8410 PKCS#8 version 1 (no embedded public key): the form OpenSSL writes and every reader accepts.
                var privateKey = new PrivateKeyInfo(new AlgorithmIdentifier(EdECObjectIdentifiers.id_Ed25519), new DerOctetString(seed));
                return new GeneratedKeyPair(
                    SubjectPublicKeyInfoFactory.CreateSubjectPublicKeyInfo(pair.Public).GetDerEncoded(),
                    privateKey.GetDerEncoded());
            }
            finally
            {
                SecureBytes.Clear(seed);
            }
        }

        private static GeneratedKeyPair GenerateMlDsa(MLDsaParameters parameters)
        {
            var generator = new MLDsaKeyPairGenerator();
            generator.Init(new MLDsaKeyGenerationParameters(Random, parameters));
            return Encode(generator.GenerateKeyPair());
        }

        private static GeneratedKeyPair Encode(AsymmetricCipherKeyPair pair) => new GeneratedKeyPair(
            SubjectPublicKeyInfoFactory.CreateSubjectPublicKeyInfo(pair.Public).GetDerEncoded(),
            PrivateKeyInfoFactory.CreatePrivateKeyInfo(pair.Private).GetDerEncoded());

        private static BcBigInteger Positive(byte[] bigEndian) => new BcBigInteger(1, bigEndian);

        /// <summary>
        /// The KMS key spec of a DER PKCS#8 private key: RSA by modulus size, EC by named curve, Ed25519, ML-DSA by
        /// parameter set. A key KMS has no spec for is an ArgumentException that says what it is.
        /// </summary>
        public static string SpecOf(byte[] privateKeyPkcs8)
        {
            switch (PrivateKeyFactory.CreateKey(privateKeyPkcs8))
            {
                case RsaPrivateCrtKeyParameters rsa:
                    int bits = rsa.Modulus.BitLength;
                    if (Array.IndexOf(RsaSizes, bits) >= 0) return "RSA_" + bits;
                    throw new ArgumentException($"an RSA key of {bits} bits (KMS has 2048, 3072 and 4096)");
                case ECPrivateKeyParameters ec:
                    foreach (var (spec, curve) in EcCurves)
                        if (curve.Equals(ec.PublicKeyParamSet)) return spec;
                    throw new ArgumentException($"an EC key on curve {ec.PublicKeyParamSet?.Id ?? "(not named)"}, which KMS does not have");
                case Ed25519PrivateKeyParameters _:
                    return DataKeyPairSpec.ECC_NIST_EDWARDS25519;
                case MLDsaPrivateKeyParameters mlDsa:
                    foreach (var (spec, parameters) in MlDsaSets)
                        if (parameters.Equals(mlDsa.Parameters)) return spec;
                    break;
            }
            throw new ArgumentException("a key of an algorithm KMS does not have");
        }

        /// <summary>The DER SubjectPublicKeyInfo that belongs to a DER PKCS#8 private key (any spec here).</summary>
        public static byte[] PublicKeyInfoOf(byte[] privateKeyPkcs8)
        {
            AsymmetricKeyParameter privateKey = PrivateKeyFactory.CreateKey(privateKeyPkcs8);
            AsymmetricKeyParameter publicKey;
            switch (privateKey)
            {
                case RsaPrivateCrtKeyParameters rsa:
                    publicKey = new RsaKeyParameters(false, rsa.Modulus, rsa.PublicExponent);
                    break;
                case ECPrivateKeyParameters ec:
                    publicKey = new ECPublicKeyParameters(ec.AlgorithmName, ec.Parameters.G.Multiply(ec.D).Normalize(), ec.Parameters);
                    break;
                case Ed25519PrivateKeyParameters ed:
                    publicKey = ed.GeneratePublicKey();
                    break;
                case MLDsaPrivateKeyParameters mlDsa:
                    publicKey = mlDsa.GetPublicKey();
                    break;
                default:
                    throw new NotSupportedException("Unsupported private key type " + privateKey.GetType().Name + ".");
            }
            return SubjectPublicKeyInfoFactory.CreateSubjectPublicKeyInfo(publicKey).GetDerEncoded();
        }
    }
}
