using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using KmsTools.Local;
using KmsTools.Model;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Generators;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Asn1.GM;
using Org.BouncyCastle.Pkcs;
using Org.BouncyCastle.Security;
using Org.BouncyCastle.X509;

namespace KmsTools.Bench
{
    /// <summary>
    /// Key pair generation per DataKeyPairSpec, the raw primitive against the engine's whole
    /// GenerateDataKeyPairWithoutPlaintext (validate, resolve the key, generate, encode, seal), in alternating rounds
    /// of one process so that both see the same machine; and what a doomed request costs.
    /// </summary>
    internal static class KeyPairBenchmark
    {
        private static readonly SecureRandom Random = new SecureRandom();

        public static List<Dictionary<string, object>> Run(string workFolder, bool quick)
        {
            string home = Path.Combine(workFolder, "keypairs");
            var kms = new LocalKmsBackend(new LocalKmsOptions { Home = home, Region = "cn-north-1", AccountId = "111122223333" });
            string keyId = kms.CreateKey(new CreateKeyRequest()).KeyMetadata.KeyId;
            var rows = new List<Dictionary<string, object>>();
            foreach (string spec in DataKeyPairSpec.Values)
            {
                int perRound = quick ? 2 : Samples(spec);
                int rounds = spec.StartsWith("RSA_") ? 3 : 5;
                var raw = new List<double>();
                var engine = new List<double>();
                Action rawCall = Raw(spec);
                Action engineCall = () => kms.GenerateDataKeyPairWithoutPlaintext(new GenerateDataKeyPairWithoutPlaintextRequest { KeyId = keyId, KeyPairSpec = spec });
                Timing.Of(spec, 1, rawCall, warmup: spec.StartsWith("RSA_") ? 1 : 50);
                Timing.Of(spec, 1, engineCall, warmup: spec.StartsWith("RSA_") ? 1 : 50);
                for (int round = 0; round < rounds; round++)
                {
                    raw.AddRange(Timing.Of(spec, perRound, rawCall, warmup: 0).All);
                    engine.AddRange(Timing.Of(spec, perRound, engineCall, warmup: 0).All);
                }
                // RSA key generation time varies widely with the primes found: the mean over many keys is the fair rate.
                // The fast curves use medians, which garbage collections and scheduler hiccups do not drag.
                bool rsa = spec.StartsWith("RSA_");
                double rawMean = rsa ? raw.Average() : new Timing(spec, raw).Median;
                double engineMean = rsa ? engine.Average() : new Timing(spec, engine).Median;
                // Everything the engine adds to key generation (validate, resolve, encode, seal), timed alone with a key
                // pair generated beforehand: for RSA this is the precise way to see that the wrap is small.
                double overhead = Overhead(kms, keyId, spec);
                rows.Add(new Dictionary<string, object>
                {
                    ["spec"] = spec,
                    ["engine_overhead_us"] = Math.Round(overhead, 1),
                    ["raw_over_raw_plus_overhead"] = Math.Round(rawMean / (rawMean + overhead), 3),
                    ["samples"] = raw.Count,
                    ["raw_pairs_per_s"] = Math.Round(1e6 / rawMean, 1),
                    ["engine_pairs_per_s"] = Math.Round(1e6 / engineMean, 1),
                    ["engine_over_raw"] = Math.Round(rawMean / engineMean, 3),
                    ["raw_median_us"] = Math.Round(new Timing(spec, raw).Median, 1),
                    ["engine_median_us"] = Math.Round(new Timing(spec, engine).Median, 1),
                });
                Console.Error.WriteLine($"  {spec}: raw {1e6 / rawMean:F1}/s, engine {1e6 / engineMean:F1}/s");
            }
            return rows;
        }

        private static double Overhead(LocalKmsBackend kms, string keyId, string spec)
        {
            RSAParameters? rsa = null;
            Crypto.GeneratedKeyPair template = null;
            if (spec.StartsWith("RSA_")) using (var key = RSA.Create(int.Parse(spec.Substring(4)))) rsa = key.ExportParameters(true);
            else template = Crypto.KeyPairGenerator.Generate(spec);
            kms.GenerateKeyPair = _ => rsa != null
                ? Crypto.KeyPairGenerator.EncodeRsa(Copy(rsa.Value)) // RSA encoding counted in the overhead
                : template;
            try
            {
                return Timing.Of(spec, 2000, () => kms.GenerateDataKeyPairWithoutPlaintext(
                    new GenerateDataKeyPairWithoutPlaintextRequest { KeyId = keyId, KeyPairSpec = spec })).Median;
            }
            finally
            {
                kms.GenerateKeyPair = Crypto.KeyPairGenerator.Generate;
            }
        }

        private static RSAParameters Copy(RSAParameters p) => new RSAParameters
        {
            Modulus = p.Modulus, Exponent = p.Exponent, D = (byte[])p.D.Clone(), P = (byte[])p.P.Clone(), Q = (byte[])p.Q.Clone(),
            DP = (byte[])p.DP.Clone(), DQ = (byte[])p.DQ.Clone(), InverseQ = (byte[])p.InverseQ.Clone(),
        };

        /// <summary>
        /// RSA_4096 latency with the opt-in pool, for requests at a person's pace: the pool is full when each one comes.
        /// </summary>
        public static List<Dictionary<string, object>> Pool(string workFolder)
        {
            var kms = new LocalKmsBackend(new LocalKmsOptions { Home = Path.Combine(workFolder, "pool"), Region = "us-east-1", AccountId = "111122223333" });
            string keyId = kms.CreateKey(new CreateKeyRequest()).KeyMetadata.KeyId;
            var latencies = new List<double>();
            Crypto.RsaKeyPool.Depth = 1;
            try
            {
                for (int i = 0; i < 3; i++)
                {
                    Crypto.RsaKeyPool.Refill(4096);
                    DateTime deadline = DateTime.UtcNow.AddSeconds(60);
                    while (Crypto.RsaKeyPool.Available(4096) < 1 && DateTime.UtcNow < deadline) System.Threading.Thread.Sleep(20);
                    latencies.AddRange(Timing.Of("pool", 1, () => kms.GenerateDataKeyPairWithoutPlaintext(
                        new GenerateDataKeyPairWithoutPlaintextRequest { KeyId = keyId, KeyPairSpec = "RSA_4096" }), warmup: 0).All);
                }
            }
            finally
            {
                Crypto.RsaKeyPool.Depth = 0;
            }
            return new List<Dictionary<string, object>>
            {
                new Dictionary<string, object> { ["request"] = "RSA_4096 with KMSTOOLS_RSA_POOL=1, pool full", ["p50_ms"] = Math.Round(new Timing("pool", latencies).Median / 1000, 2), ["samples"] = latencies.Count },
            };
        }

        /// <summary>Requests that must fail cost microseconds, RSA_4096 or not: validation and key checks come first.</summary>
        public static List<Dictionary<string, object>> Doomed(string workFolder)
        {
            var kms = new LocalKmsBackend(new LocalKmsOptions { Home = Path.Combine(workFolder, "doomed"), Region = "us-east-1", AccountId = "111122223333" });
            string keyId = kms.CreateKey(new CreateKeyRequest()).KeyMetadata.KeyId;
            string signing = kms.CreateKey(new CreateKeyRequest { KeySpec = "ECC_NIST_P256", KeyUsage = "SIGN_VERIFY" }).KeyMetadata.KeyId;
            var cases = new (string Name, GenerateDataKeyPairWithoutPlaintextRequest Request)[]
            {
                ("unknown key", new GenerateDataKeyPairWithoutPlaintextRequest { KeyId = Guid.NewGuid().ToString(), KeyPairSpec = "RSA_4096" }),
                ("wrong key usage", new GenerateDataKeyPairWithoutPlaintextRequest { KeyId = signing, KeyPairSpec = "RSA_4096" }),
                ("DryRun", new GenerateDataKeyPairWithoutPlaintextRequest { KeyId = keyId, KeyPairSpec = "RSA_4096", DryRun = true }),
                ("bad spec", new GenerateDataKeyPairWithoutPlaintextRequest { KeyId = keyId, KeyPairSpec = "RSA_1024" }),
            };
            return cases.Select(c =>
            {
                Timing timing = Timing.Of(c.Name, 2000, () =>
                {
                    try { kms.GenerateDataKeyPairWithoutPlaintext(c.Request); }
                    catch (KmsException) { }
                });
                return new Dictionary<string, object> { ["request"] = c.Name + " (RSA_4096)", ["median_us"] = Math.Round(timing.Median, 1), ["p90_us"] = Math.Round(timing.P90, 1) };
            }).ToList();
        }

        private static int Samples(string spec)
        {
            switch (spec)
            {
                case "RSA_2048": return 14;
                case "RSA_3072": return 7;
                case "RSA_4096": return 5;
                default: return 300;
            }
        }

        /// <summary>The primitive alone: generate and export as DER, with the platform where it has the curve.</summary>
        private static Action Raw(string spec)
        {
            switch (spec)
            {
                case "RSA_2048": case "RSA_3072": case "RSA_4096":
                    int bits = int.Parse(spec.Substring(4));
                    return () => { using (var rsa = RSA.Create(bits)) { rsa.ExportPkcs8PrivateKey(); rsa.ExportSubjectPublicKeyInfo(); } };
                case "ECC_NIST_P256": return PlatformEc(ECCurve.NamedCurves.nistP256);
                case "ECC_NIST_P384": return PlatformEc(ECCurve.NamedCurves.nistP384);
                case "ECC_NIST_P521": return PlatformEc(ECCurve.NamedCurves.nistP521);
                case "ECC_SECG_P256K1": return PlatformEc(ECCurve.CreateFromValue("1.3.132.0.10"));
                case "SM2":
                    return () =>
                    {
                        var generator = new ECKeyPairGenerator();
                        generator.Init(new ECKeyGenerationParameters(new ECNamedDomainParameters(GMObjectIdentifiers.sm2p256v1, GMNamedCurves.GetByOid(GMObjectIdentifiers.sm2p256v1)), Random));
                        Export(generator.GenerateKeyPair());
                    };
                default:
                    return () =>
                    {
                        var generator = new Ed25519KeyPairGenerator();
                        generator.Init(new Ed25519KeyGenerationParameters(Random));
                        Export(generator.GenerateKeyPair());
                    };
            }
        }

        private static Action PlatformEc(ECCurve curve) =>
            () => { using (var ec = ECDsa.Create(curve)) { ec.ExportPkcs8PrivateKey(); ec.ExportSubjectPublicKeyInfo(); } };

        private static void Export(AsymmetricCipherKeyPair pair)
        {
            PrivateKeyInfoFactory.CreatePrivateKeyInfo(pair.Private).GetDerEncoded();
            SubjectPublicKeyInfoFactory.CreateSubjectPublicKeyInfo(pair.Public).GetDerEncoded();
        }
    }
}
