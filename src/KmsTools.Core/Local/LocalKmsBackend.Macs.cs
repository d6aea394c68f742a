using System.Threading;
using KmsTools.Crypto;
using KmsTools.Model;

namespace KmsTools.Local
{
    // GenerateMac and VerifyMac: HMACs with the material of an HMAC KMS key (HMAC_224 to HMAC_512), which never leaves
    // the engine. Validation, key state, key usage and the algorithm's match to the key spec come before DryRun.
    public sealed partial class LocalKmsBackend
    {
        public GenerateMacResponse GenerateMac(GenerateMacRequest request, CancellationToken cancellationToken = default)
        {
            Require(request);
            var (key, algorithm) = MacKey("GenerateMac", request.KeyId, request.Message, request.MacAlgorithm, request.GrantTokens);
            ThrowIfDryRun(request.DryRun);
            return new GenerateMacResponse
            {
                KeyId = ArnOf(key.KeyId),
                Mac = Hmac.Compute(algorithm, SoleMaterial(key), request.Message),
                MacAlgorithm = algorithm,
            };
        }

        public VerifyMacResponse VerifyMac(VerifyMacRequest request, CancellationToken cancellationToken = default)
        {
            Require(request);
            var (key, algorithm) = MacKey("VerifyMac", request.KeyId, request.Message, request.MacAlgorithm, request.GrantTokens);
            Validation.Length("Mac", request.Mac, 1, 6144);
            ThrowIfDryRun(request.DryRun);
            // KMS answers a MAC that does not match with an error, never MacValid = false: a script cannot miss it.
            if (!Hmac.Matches(algorithm, SoleMaterial(key), request.Message, request.Mac))
                throw new KmsException(KmsErrorCodes.KMSInvalidMac, string.Empty, "Mac");
            return new VerifyMacResponse { KeyId = ArnOf(key.KeyId), MacValid = true, MacAlgorithm = algorithm };
        }

        private (KeyRecord Key, string Algorithm) MacKey(string operation, string keyId, byte[] message, string macAlgorithm, System.Collections.Generic.List<string> grantTokens)
        {
            Validation.Length("Message", message, 1, 4096);
            ValidateKeyId("KeyId", keyId);
            string algorithm = Validation.OneOf("MacAlgorithm", macAlgorithm, MacAlgorithmSpec.Values);
            Validation.GrantTokens(grantTokens);
            KeyRecord key = ResolveKey(keyId);
            RequireUsable(key);
            RequireUsage(key, KeyUsageType.GENERATE_VERIFY_MAC, operation);
            if (!KeyAlgorithms.MacAlgorithms(key.KeySpec).Contains(algorithm))
                throw new KmsException(KmsErrorCodes.InvalidKeyUsage, $"Algorithm {algorithm} is incompatible with key spec {key.KeySpec}.", "MacAlgorithm");
            return (key, algorithm);
        }

        private readonly System.Collections.Concurrent.ConcurrentDictionary<string, Org.BouncyCastle.Crypto.AsymmetricKeyParameter> _parsedKeys =
            new System.Collections.Concurrent.ConcurrentDictionary<string, Org.BouncyCastle.Crypto.AsymmetricKeyParameter>(System.StringComparer.Ordinal);

        /// <summary>
        /// An asymmetric key's private key, parsed once per backend (one cmdlet invocation), as its material bytes are
        /// read once. Parsing is most of the cost of a signature (an ML-DSA key expands from its seed, Ed25519 derives
        /// its public point): per call it would also leave one unzeroable BouncyCastle copy per call on the heap; cached,
        /// there is one, dropped with the zeroed material when the backend is disposed.
        /// </summary>
        private Org.BouncyCastle.Crypto.AsymmetricKeyParameter PrivateKeyOf(KeyRecord key) =>
            _parsedKeys.GetOrAdd(key.KeyId + "/private", _ => Org.BouncyCastle.Security.PrivateKeyFactory.CreateKey(SoleMaterial(key)));

        /// <summary>An asymmetric key's public key, parsed once per backend: BouncyCastle keeps its precomputed tables on it.</summary>
        private Org.BouncyCastle.Crypto.AsymmetricKeyParameter PublicKeyOf(KeyRecord key) =>
            _parsedKeys.GetOrAdd(key.KeyId + "/public", _ => Org.BouncyCastle.Security.PublicKeyFactory.CreateKey(key.PublicKey));

        /// <summary>The one material of an asymmetric or HMAC key (these keys do not rotate), cached as every material is.</summary>
        private byte[] SoleMaterial(KeyRecord key) =>
            Material(key.KeyId, null) ?? throw KeyStore.Damaged(key.KeyId + ".key", "the key has no key material");

        private void RequireUsage(KeyRecord key, string usage, string operation)
        {
            if (key.KeyUsage != usage)
                throw new KmsException(KmsErrorCodes.InvalidKeyUsage,
                    $"{ArnOf(key.KeyId)} key usage is {key.KeyUsage} which is not valid for {operation}.", "KeyId");
        }
    }
}
