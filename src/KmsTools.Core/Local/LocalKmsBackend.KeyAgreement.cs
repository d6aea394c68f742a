using System.Threading;
using KmsTools.Crypto;
using KmsTools.Model;

namespace KmsTools.Local
{
    // DeriveSharedSecret: ECDH between a KEY_AGREEMENT key (whose private key never leaves the engine) and a peer's
    // public key. The shared secret is the caller's: the engine keeps no copy.
    public sealed partial class LocalKmsBackend
    {
        public DeriveSharedSecretResponse DeriveSharedSecret(DeriveSharedSecretRequest request, CancellationToken cancellationToken = default)
        {
            Require(request);
            ValidateKeyId("KeyId", request.KeyId);
            string algorithm = Validation.OneOf("KeyAgreementAlgorithm", request.KeyAgreementAlgorithm, KeyAgreementAlgorithmSpec.Values);
            Validation.Length("PublicKey", request.PublicKey, 1, 8192);
            ValidateGrantTokens(request.GrantTokens);
            KeyRecord key = ResolveKey(request.KeyId);
            RequireUsable(key);
            RequireUsage(key, KeyUsageType.KEY_AGREEMENT, "DeriveSharedSecret");
            Authorize(key, "DeriveSharedSecret");
            ThrowIfDryRun(request.DryRun);
            // KMS says nothing about a peer key it cannot use: an empty ValidationException, as recorded.
            byte[] secret = KeyAgreement.DeriveEcdh(PrivateKeyOf(key), request.PublicKey)
                ?? throw new KmsException(KmsErrorCodes.Validation, string.Empty, "PublicKey");
            NoteUse(key, "DeriveSharedSecret");
            return new DeriveSharedSecretResponse
            {
                KeyId = ArnOf(key.KeyId),
                SharedSecret = secret,
                KeyAgreementAlgorithm = algorithm,
                KeyOrigin = key.Origin,
            };
        }
    }
}
