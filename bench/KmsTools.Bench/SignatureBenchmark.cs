using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using KmsTools.Local;
using KmsTools.Model;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Digests;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Crypto.Signers;
using Org.BouncyCastle.Security;

namespace KmsTools.Bench
{
    /// <summary>
    /// Sign and Verify per second for P-256, Ed25519 and ML-DSA-65: the raw BouncyCastle signer with its key already
    /// parsed (what a program holding the key would run) against the engine's whole Sign/Verify (validate, resolve the
    /// key, read its cached material, parse it, sign or verify), in alternating rounds of one process.
    /// </summary>
    internal static class SignatureBenchmark
    {
        private static readonly byte[] Message = System.Text.Encoding.UTF8.GetBytes("a message of a typical size for a signature: a token, a digest, a manifest line");

        public static List<Dictionary<string, object>> Run(string workFolder, bool quick)
        {
            var kms = new LocalKmsBackend(new LocalKmsOptions { Home = Path.Combine(workFolder, "signatures"), Region = "us-east-1", AccountId = "111122223333" });
            var cases = new (string Spec, string Algorithm, int Samples, Func<ISigner> Signer)[]
            {
                ("ECC_NIST_P256", "ECDSA_SHA_256", 400, () => new DsaDigestSigner(new ECDsaSigner(new HMacDsaKCalculator(new Sha256Digest())), new Sha256Digest(), StandardDsaEncoding.Instance)),
                ("ECC_NIST_EDWARDS25519", "ED25519_SHA_512", 1000, () => new Ed25519Signer()),
                ("ML_DSA_65", "ML_DSA_SHAKE_256", 200, () => new MLDsaSigner(MLDsaParameters.ml_dsa_65, deterministic: false)),
            };
            var rows = new List<Dictionary<string, object>>();
            foreach (var c in cases)
            {
                string keyId = kms.CreateKey(new CreateKeyRequest { KeySpec = c.Spec, KeyUsage = KeyUsageType.SIGN_VERIFY }).KeyMetadata.KeyId;
                AsymmetricKeyParameter privateKey = PrivateKeyFactory.CreateKey(kms.Store.ReadKeyMaterial(keyId, null));
                AsymmetricKeyParameter publicKey = PublicKeyFactory.CreateKey(kms.GetPublicKey(new GetPublicKeyRequest { KeyId = keyId }).PublicKey);
                byte[] signature = kms.Sign(new SignRequest { KeyId = keyId, Message = Message, SigningAlgorithm = c.Algorithm }).Signature;
                bool mlDsa = c.Spec.StartsWith("ML_DSA", StringComparison.Ordinal);

                Action rawSign = () =>
                {
                    ISigner signer = c.Signer();
                    signer.Init(true, mlDsa ? new ParametersWithRandom(privateKey, new SecureRandom()) : (ICipherParameters)privateKey);
                    signer.BlockUpdate(Message, 0, Message.Length);
                    signer.GenerateSignature();
                };
                Action rawVerify = () =>
                {
                    ISigner signer = c.Signer();
                    signer.Init(false, publicKey);
                    signer.BlockUpdate(Message, 0, Message.Length);
                    if (!signer.VerifySignature(signature)) throw new InvalidOperationException("raw verify failed");
                };
                Action engineSign = () => kms.Sign(new SignRequest { KeyId = keyId, Message = Message, SigningAlgorithm = c.Algorithm });
                Action engineVerify = () => kms.Verify(new VerifyRequest { KeyId = keyId, Message = Message, Signature = signature, SigningAlgorithm = c.Algorithm });

                foreach (var (operation, raw, engine) in new[] { ("Sign", rawSign, engineSign), ("Verify", rawVerify, engineVerify) })
                {
                    int samples = quick ? 20 : c.Samples;
                    var rawTimes = new List<double>(); var engineTimes = new List<double>();
                    Timing.Of("warm", 50, raw); Timing.Of("warm", 50, engine);
                    for (int round = 0; round < 5; round++)
                    {
                        rawTimes.AddRange(Timing.Of("raw", samples, raw, warmup: 0).All);
                        engineTimes.AddRange(Timing.Of("engine", samples, engine, warmup: 0).All);
                    }
                    var rawTiming = new Timing("raw", rawTimes); var engineTiming = new Timing("engine", engineTimes);
                    rows.Add(new Dictionary<string, object>
                    {
                        ["operation"] = operation,
                        ["spec"] = c.Spec,
                        ["raw_per_s"] = Math.Round(1e6 / rawTiming.Median, 1),
                        ["engine_per_s"] = Math.Round(1e6 / engineTiming.Median, 1),
                        ["engine_over_raw"] = Math.Round(rawTiming.Median / engineTiming.Median, 3),
                        ["raw_median_us"] = Math.Round(rawTiming.Median, 1),
                        ["engine_median_us"] = Math.Round(engineTiming.Median, 1),
                    });
                    Console.Error.WriteLine($"  {operation} {c.Spec}: raw {1e6 / rawTiming.Median:F0}/s, engine {1e6 / engineTiming.Median:F0}/s");
                }
            }
            kms.Dispose();
            return rows;
        }
    }
}
