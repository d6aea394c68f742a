using System.Collections.Generic;
using System.Linq;
using System.Threading;
using KmsTools.Crypto;
using KmsTools.Model;

namespace KmsTools.Local
{
    // Sign and Verify with asymmetric SIGN_VERIFY keys. The private key never leaves the engine; Verify uses the
    // public key, as anyone holding GetPublicKey's output could. Validation, key state, usage, the algorithm's match
    // to the key spec and the message type's rules all come before DryRun and before any signing.
    public sealed partial class LocalKmsBackend
    {
        public SignResponse Sign(SignRequest request, CancellationToken cancellationToken = default)
        {
            Require(request);
            var (key, algorithm, isPrecomputed) = SigningKey("Sign", request.KeyId, request.Message, request.MessageType, request.SigningAlgorithm, request.GrantTokens);
            ThrowIfDryRun(request.DryRun);
            byte[] signature = Signatures.Sign(algorithm, PrivateKeyOf(key), request.Message, isPrecomputed);
            NoteUse(key, "Sign");
            return new SignResponse
            {
                KeyId = ArnOf(key.KeyId),
                Signature = signature,
                SigningAlgorithm = algorithm,
            };
        }

        public VerifyResponse Verify(VerifyRequest request, CancellationToken cancellationToken = default)
        {
            Require(request);
            var (key, algorithm, isPrecomputed) = SigningKey("Verify", request.KeyId, request.Message, request.MessageType, request.SigningAlgorithm, request.GrantTokens);
            Validation.Length("Signature", request.Signature, 1, 6144);
            ThrowIfDryRun(request.DryRun);
            // As in KMS: a signature that does not verify is an error, never SignatureValid = false.
            if (!Signatures.Verify(algorithm, PublicKeyOf(key), request.Message, isPrecomputed, request.Signature))
                throw new KmsException(KmsErrorCodes.KMSInvalidSignature, string.Empty, "Signature");
            NoteUse(key, "Verify");
            return new VerifyResponse { KeyId = ArnOf(key.KeyId), SignatureValid = true, SigningAlgorithm = algorithm };
        }

        private (KeyRecord Key, string Algorithm, bool IsPrecomputed) SigningKey(string operation, string keyId, byte[] message, string messageType,
            string signingAlgorithm, List<string> grantTokens)
        {
            ValidateKeyId("KeyId", keyId);
            Validation.Length("Message", message, 1, 4096);
            string type = messageType == null ? MessageType.RAW : Validation.OneOf("MessageType", messageType, MessageType.Values);
            string algorithm = Validation.OneOf("SigningAlgorithm", signingAlgorithm, SigningAlgorithmSpec.Values);
            ValidateGrantTokens(grantTokens);
            KeyRecord key = ResolveKey(keyId);
            RequireUsable(key);
            RequireUsage(key, KeyUsageType.SIGN_VERIFY, operation);
            Authorize(key, operation);
            if (!KeyAlgorithms.SigningAlgorithms(key.KeySpec, key.KeyUsage).Contains(algorithm))
                throw new KmsException(KmsErrorCodes.InvalidKeyUsage, $"Algorithm {algorithm} is incompatible with key spec {key.KeySpec}.", "SigningAlgorithm");
            if (!Signatures.MessageTypes(algorithm).Contains(type))
                throw new KmsException(KmsErrorCodes.Validation, type == MessageType.EXTERNAL_MU
                    ? $"MessageType EXTERNAL_MU is valid only with the ML_DSA_SHAKE_256 signing algorithm of an ML-DSA key, not with {algorithm}."
                    : $"MessageType DIGEST is not valid for {algorithm}, which signs the message itself; use RAW, or ED25519_PH_SHA_512 for a SHA-512 digest.", "MessageType");
            if (type == MessageType.EXTERNAL_MU)
            {
                if (message.Length != 64)
                    throw new KmsException(KmsErrorCodes.Validation,
                        $"An EXTERNAL_MU message is the 64-byte mu of FIPS 204; this one has {message.Length} bytes.", "Message");
                if (!Signatures.SupportsExternalMu)
                    throw new KmsException(KmsErrorCodes.UnsupportedOperation,
                        "This build's BouncyCastle cannot sign an ML-DSA external mu; send the request to AWS KMS (-Backend Remote) or sign the message (RAW).", "MessageType");
            }
            else if (type == MessageType.DIGEST && message.Length != Signatures.DigestLength(algorithm))
                throw new KmsException(KmsErrorCodes.Validation, $"Digest is invalid length for algorithm {algorithm}.", "Message");
            return (key, algorithm, type != MessageType.RAW);
        }
    }
}
