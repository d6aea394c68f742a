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
            byte[] mac = Hmac.Compute(algorithm, SoleMaterial(key), request.Message);
            NoteUse(key, "GenerateMac");
            return new GenerateMacResponse
            {
                KeyId = ArnOf(key.KeyId),
                Mac = mac,
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
            NoteUse(key, "VerifyMac");
            return new VerifyMacResponse { KeyId = ArnOf(key.KeyId), MacValid = true, MacAlgorithm = algorithm };
        }

        private (KeyRecord Key, string Algorithm) MacKey(string operation, string keyId, byte[] message, string macAlgorithm, System.Collections.Generic.List<string> grantTokens)
        {
            Validation.Length("Message", message, 1, 4096);
            ValidateKeyId("KeyId", keyId);
            string algorithm = Validation.OneOf("MacAlgorithm", macAlgorithm, MacAlgorithmSpec.Values);
            ValidateGrantTokens(grantTokens);
            KeyRecord key = ResolveKey(keyId);
            RequireUsable(key);
            RequireUsage(key, KeyUsageType.GENERATE_VERIFY_MAC, operation);
            if (!KeyAlgorithms.MacAlgorithms(key.KeySpec).Contains(algorithm))
                throw new KmsException(KmsErrorCodes.InvalidKeyUsage, $"Algorithm {algorithm} is incompatible with key spec {key.KeySpec}.", "MacAlgorithm");
            Authorize(key, operation);
            return (key, algorithm);
        }
    }
}
