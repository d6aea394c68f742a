using System;
using System.Threading;
using System.Collections.Generic;
using KmsTools.Crypto;
using KmsTools.Model;

namespace KmsTools.Local
{
    // The cryptographic operations: data keys, data key pairs, Encrypt, Decrypt, ReEncrypt, GenerateRandom.
    // Each validates its input, resolves and checks its key, and honours DryRun before any key generation
    // or decryption; every plaintext the engine holds for itself is zeroed when done.
    public sealed partial class LocalKmsBackend
    {
        private static readonly IReadOnlyList<string> DataKeySpecs = new[] { "AES_256", "AES_128" };

        /// <summary>The key pair source; benchmarks swap it to time everything but key generation.</summary>
        internal Func<string, GeneratedKeyPair> GenerateKeyPair { get; set; } = KeyPairGenerator.Generate;

        public GenerateDataKeyPairWithoutPlaintextResponse GenerateDataKeyPairWithoutPlaintext(GenerateDataKeyPairWithoutPlaintextRequest request, CancellationToken cancellationToken = default)
        {
            Require(request);
            var (key, spec, pair, blob) = GeneratePair("GenerateDataKeyPairWithoutPlaintext", request.KeyId, request.KeyPairSpec,
                request.EncryptionContext, request.GrantTokens, request.DryRun, cancellationToken);
            NoteUse(key, "GenerateDataKeyPairWithoutPlaintext");
            using (pair)
            {
                return new GenerateDataKeyPairWithoutPlaintextResponse
                {
                    KeyId = ArnOf(key.KeyId), KeyPairSpec = spec, KeyMaterialId = key.CurrentKeyMaterialId,
                    PublicKey = pair.PublicKeyInfo, PrivateKeyCiphertextBlob = blob, EncryptionContext = Copy(request.EncryptionContext),
                };
            }
        }

        public GenerateDataKeyPairResponse GenerateDataKeyPair(GenerateDataKeyPairRequest request, CancellationToken cancellationToken = default)
        {
            Require(request);
            var (key, spec, pair, blob) = GeneratePair("GenerateDataKeyPair", request.KeyId, request.KeyPairSpec,
                request.EncryptionContext, request.GrantTokens, request.DryRun, cancellationToken);
            NoteUse(key, "GenerateDataKeyPair");
            using (pair)
            {
                return new GenerateDataKeyPairResponse
                {
                    KeyId = ArnOf(key.KeyId), KeyPairSpec = spec, KeyMaterialId = key.CurrentKeyMaterialId,
                    PublicKey = pair.PublicKeyInfo, PrivateKeyCiphertextBlob = blob,
                    // The caller asked for the plaintext: a copy is theirs; the engine's own is zeroed with the pair.
                    PrivateKeyPlaintext = (byte[])pair.PrivateKeyPkcs8.Clone(),
                    EncryptionContext = Copy(request.EncryptionContext),
                };
            }
        }

        public GenerateDataKeyResponse GenerateDataKey(GenerateDataKeyRequest request, CancellationToken cancellationToken = default)
        {
            Require(request);
            var (key, dataKey, blob) = GenerateDataKeyCore("GenerateDataKey", request.KeyId, request.KeySpec, request.NumberOfBytes,
                request.EncryptionContext, request.GrantTokens, request.DryRun);
            NoteUse(key, "GenerateDataKey");
            return new GenerateDataKeyResponse
            {
                KeyId = ArnOf(key.KeyId), KeyMaterialId = key.CurrentKeyMaterialId, CiphertextBlob = blob, Plaintext = dataKey,
                EncryptionContext = Copy(request.EncryptionContext),
            };
        }

        public GenerateDataKeyWithoutPlaintextResponse GenerateDataKeyWithoutPlaintext(GenerateDataKeyWithoutPlaintextRequest request, CancellationToken cancellationToken = default)
        {
            Require(request);
            var (key, dataKey, blob) = GenerateDataKeyCore("GenerateDataKeyWithoutPlaintext", request.KeyId, request.KeySpec, request.NumberOfBytes,
                request.EncryptionContext, request.GrantTokens, request.DryRun);
            SecureBytes.Clear(dataKey);
            NoteUse(key, "GenerateDataKeyWithoutPlaintext");
            return new GenerateDataKeyWithoutPlaintextResponse
            {
                KeyId = ArnOf(key.KeyId), KeyMaterialId = key.CurrentKeyMaterialId, CiphertextBlob = blob,
                EncryptionContext = Copy(request.EncryptionContext),
            };
        }

        public EncryptResponse Encrypt(EncryptRequest request, CancellationToken cancellationToken = default)
        {
            Require(request);
            ValidateKeyId("KeyId", request.KeyId);
            Validation.Length("Plaintext", request.Plaintext, 1, 4096);
            string algorithm = ValidateAlgorithm("EncryptionAlgorithm", request.EncryptionAlgorithm);
            Validation.EncryptionContext("EncryptionContext", request.EncryptionContext);
            ValidateGrantTokens(request.GrantTokens);
            KeyRecord key = EncryptingKey("Encrypt", request.KeyId, "KeyId", algorithm, "EncryptionAlgorithm", request.Plaintext.Length, request.EncryptionContext, "EncryptionContext");
            Authorize(key, "Encrypt", request.EncryptionContext);
            ThrowIfDryRun(request.DryRun);
            byte[] sealedBlob = EncryptUnder(key, algorithm, request.Plaintext, request.EncryptionContext);
            NoteUse(key, "Encrypt");
            return new EncryptResponse
            {
                KeyId = ArnOf(key.KeyId),
                CiphertextBlob = sealedBlob,
                EncryptionAlgorithm = algorithm,
                EncryptionContext = Copy(request.EncryptionContext),
            };
        }

        public DecryptResponse Decrypt(DecryptRequest request, CancellationToken cancellationToken = default)
        {
            Require(request);
            Validation.Length("CiphertextBlob", request.CiphertextBlob, 1, 6144);
            if (request.KeyId != null) ValidateKeyId("KeyId", request.KeyId);
            string algorithm = ValidateAlgorithm("EncryptionAlgorithm", request.EncryptionAlgorithm);
            Validation.EncryptionContext("EncryptionContext", request.EncryptionContext);
            ValidateGrantTokens(request.GrantTokens);
            var (key, header) = DecryptingKey("Decrypt", request.CiphertextBlob, request.KeyId, "KeyId", algorithm, "EncryptionAlgorithm",
                request.EncryptionContext, "EncryptionContext");
            Authorize(key, "Decrypt", request.EncryptionContext);
            ThrowIfDryRun(request.DryRun);
            byte[] plaintext = DecryptWith(key, header, algorithm, request.CiphertextBlob, request.EncryptionContext);
            NoteUse(key, "Decrypt");
            return new DecryptResponse
            {
                KeyId = ArnOf(key.KeyId),
                Plaintext = plaintext,
                EncryptionAlgorithm = algorithm,
                KeyMaterialId = header?.KeyMaterialId,
            };
        }

        public ReEncryptResponse ReEncrypt(ReEncryptRequest request, CancellationToken cancellationToken = default)
        {
            Require(request);
            Validation.Length("CiphertextBlob", request.CiphertextBlob, 1, 6144);
            if (request.SourceKeyId != null) ValidateKeyId("SourceKeyId", request.SourceKeyId);
            ValidateKeyId("DestinationKeyId", request.DestinationKeyId);
            string sourceAlgorithm = ValidateAlgorithm("SourceEncryptionAlgorithm", request.SourceEncryptionAlgorithm);
            string destinationAlgorithm = ValidateAlgorithm("DestinationEncryptionAlgorithm", request.DestinationEncryptionAlgorithm);
            Validation.EncryptionContext("SourceEncryptionContext", request.SourceEncryptionContext);
            Validation.EncryptionContext("DestinationEncryptionContext", request.DestinationEncryptionContext);
            ValidateGrantTokens(request.GrantTokens);

            var (source, header) = DecryptingKey("ReEncrypt", request.CiphertextBlob, request.SourceKeyId, "SourceKeyId", sourceAlgorithm,
                "SourceEncryptionAlgorithm", request.SourceEncryptionContext, "SourceEncryptionContext");
            // The plaintext's length is known only once it is open; an asymmetric destination checks it then.
            KeyRecord destination = EncryptingKey("ReEncrypt", request.DestinationKeyId, "DestinationKeyId", destinationAlgorithm,
                "DestinationEncryptionAlgorithm", 0, request.DestinationEncryptionContext, "DestinationEncryptionContext");
            Authorize(source, "ReEncryptFrom", request.SourceEncryptionContext);
            Authorize(destination, "ReEncryptTo", request.DestinationEncryptionContext);
            ThrowIfDryRun(request.DryRun);

            // The plaintext never leaves the engine, and is zeroed as soon as it is sealed again.
            byte[] plaintext = DecryptWith(source, header, sourceAlgorithm, request.CiphertextBlob, request.SourceEncryptionContext);
            try
            {
                RequireFits(destination, destinationAlgorithm, plaintext.Length);
                byte[] resealed = EncryptUnder(destination, destinationAlgorithm, plaintext, request.DestinationEncryptionContext);
                NoteUse(source, "ReEncrypt");
                NoteUse(destination, "ReEncrypt");
                return new ReEncryptResponse
                {
                    CiphertextBlob = resealed,
                    SourceKeyId = ArnOf(source.KeyId),
                    KeyId = ArnOf(destination.KeyId),
                    SourceEncryptionAlgorithm = sourceAlgorithm,
                    DestinationEncryptionAlgorithm = destinationAlgorithm,
                    SourceKeyMaterialId = header?.KeyMaterialId,
                    DestinationKeyMaterialId = destination.IsSymmetricEncryption ? destination.CurrentKeyMaterialId : null,
                    EncryptionContext = Copy(request.DestinationEncryptionContext),
                };
            }
            finally
            {
                SecureBytes.Clear(plaintext);
            }
        }

        public GenerateRandomResponse GenerateRandom(GenerateRandomRequest request, CancellationToken cancellationToken = default)
        {
            Require(request);
            if (request.NumberOfBytes == null)
                throw new KmsException(KmsErrorCodes.Validation, "NumberOfBytes is required.", "NumberOfBytes");
            Validation.Range("NumberOfBytes", request.NumberOfBytes.Value, 1, 1024);
            return new GenerateRandomResponse { Plaintext = RandomBytes(request.NumberOfBytes.Value) };
        }

        // ---- shared steps --------------------------------------------------------------------------

        private (KeyRecord Key, string Spec, GeneratedKeyPair Pair, byte[] Blob) GeneratePair(string operation, string keyId, string keyPairSpec,
            Dictionary<string, string> context, List<string> grantTokens, bool? dryRun, CancellationToken cancellationToken)
        {
            string spec = Validation.OneOf("KeyPairSpec", keyPairSpec, DataKeyPairSpec.Values);
            ValidateKeyId("KeyId", keyId);
            Validation.EncryptionContext("EncryptionContext", context);
            ValidateGrantTokens(grantTokens);
            KeyRecord key = UsableEncryptionKey(operation, keyId, "KeyId");
            Authorize(key, operation, context);
            if (spec == DataKeyPairSpec.SM2 && !AwsRegion.SupportsSm2(Region))
                throw new KmsException(KmsErrorCodes.UnsupportedOperation, "KeyPairSpec SM2 is not supported in this Region", "KeyPairSpec");
            ThrowIfDryRun(dryRun);

            // RSA takes seconds: a stopped pipeline must not wait for it. The other specs take microseconds.
            GeneratedKeyPair pair = spec.StartsWith("RSA_", StringComparison.Ordinal)
                ? SlowWork.Run(() => GenerateKeyPair(spec), cancellationToken, abandoned => abandoned.Dispose())
                : GenerateKeyPair(spec);
            try
            {
                return (key, spec, pair, SealUnderCurrentMaterial(key, pair.PrivateKeyPkcs8, context));
            }
            catch
            {
                pair.Dispose();
                throw;
            }
        }

        private (KeyRecord Key, byte[] DataKey, byte[] Blob) GenerateDataKeyCore(string operation, string keyId, string keySpec, int? numberOfBytes,
            Dictionary<string, string> context, List<string> grantTokens, bool? dryRun)
        {
            // The model's constraints first, then the rule that exactly one of KeySpec and NumberOfBytes is given.
            ValidateKeyId("KeyId", keyId);
            string spec = keySpec == null ? null : Validation.OneOf("KeySpec", keySpec, DataKeySpecs);
            if (numberOfBytes != null) Validation.Range("NumberOfBytes", numberOfBytes.Value, 1, 1024);
            Validation.EncryptionContext("EncryptionContext", context);
            ValidateGrantTokens(grantTokens);
            if ((spec == null) == (numberOfBytes == null))
                throw new KmsException(KmsErrorCodes.Validation, "Please specify either number of bytes or key spec.",
                    spec == null ? "KeySpec" : "NumberOfBytes");
            int length = spec == null ? numberOfBytes.Value : spec == "AES_256" ? 32 : 16;
            KeyRecord key = UsableEncryptionKey(operation, keyId, "KeyId");
            Authorize(key, operation, context);
            ThrowIfDryRun(dryRun);

            byte[] dataKey = RandomBytes(length);
            try
            {
                return (key, dataKey, SealUnderCurrentMaterial(key, dataKey, context));
            }
            catch
            {
                SecureBytes.Clear(dataKey);
                throw;
            }
        }

        /// <summary>
        /// The key an Encrypt (or ReEncrypt's destination) uses: an ENCRYPT_DECRYPT key, with an algorithm it supports
        /// (SYMMETRIC_DEFAULT for a symmetric key; RSAES_OAEP_* for RSA), no encryption context with an asymmetric key,
        /// and a plaintext within the algorithm's limit.
        /// </summary>
        private KeyRecord EncryptingKey(string operation, string keyId, string member, string algorithm, string algorithmMember,
            int plaintextLength, Dictionary<string, string> context, string contextMember)
        {
            KeyRecord key = ResolveKey(keyId, member);
            RequireEncryptionKey(key, operation, algorithm, algorithmMember);
            RequireNoContextWithAsymmetric(key, context, contextMember);
            if (plaintextLength > 0) RequireFits(key, algorithm, plaintextLength);
            return key;
        }

        /// <summary>
        /// The key that opens a ciphertext. A symmetric blob names its key (the KeyId, if given, must be that key); an
        /// asymmetric ciphertext is raw OAEP and names nothing, so KeyId and the algorithm say which key and how.
        /// </summary>
        private (KeyRecord Key, CiphertextHeader Header) DecryptingKey(string operation, byte[] blob, string keyId, string member,
            string algorithm, string algorithmMember, Dictionary<string, string> context, string contextMember)
        {
            KeyRecord named = keyId == null ? null : ResolveKey(keyId, member);
            if (algorithm == EncryptionAlgorithmSpec.SYMMETRIC_DEFAULT)
            {
                if (named != null && !named.IsSymmetricEncryption) RequireEncryptionKey(named, operation, algorithm, algorithmMember);
                return BlobKey(blob, named, member);
            }
            if (named == null)
                throw new KmsException(KmsErrorCodes.Validation,
                    $"{member} is required with {algorithmMember} {algorithm}: an asymmetric ciphertext does not say which KMS key made it.", member);
            RequireEncryptionKey(named, operation, algorithm, algorithmMember);
            RequireNoContextWithAsymmetric(named, context, contextMember);
            return (named, null);
        }

        /// <summary>A usable ENCRYPT_DECRYPT key that lists the algorithm (and one the local engine implements).</summary>
        private void RequireEncryptionKey(KeyRecord key, string operation, string algorithm, string algorithmMember)
        {
            RequireUsable(key);
            RequireUsage(key, KeyUsageType.ENCRYPT_DECRYPT, operation);
            RequireAlgorithmOf(key, algorithm, algorithmMember);
        }

        private void RequireAlgorithmOf(KeyRecord key, string algorithm, string member)
        {
            List<string> supported = KeyAlgorithms.EncryptionAlgorithms(key.KeySpec, key.KeyUsage);
            if (supported == null || !supported.Contains(algorithm))
                throw new KmsException(KmsErrorCodes.InvalidKeyUsage, $"Algorithm {algorithm} is incompatible with key spec {key.KeySpec}.", member);
        }

        private static void RequireNoContextWithAsymmetric(KeyRecord key, Dictionary<string, string> context, string member)
        {
            if (!key.IsSymmetricEncryption && context != null && context.Count > 0)
                throw new KmsException(KmsErrorCodes.Validation,
                    $"{member} is not supported with an asymmetric KMS key ({key.KeySpec}): its algorithms take no encryption context. Remove it.", member);
        }

        private static void RequireFits(KeyRecord key, string algorithm, int plaintextLength)
        {
            if (key.IsSymmetricEncryption) return;
            int max = AsymmetricCipher.MaxPlaintext(algorithm, key.KeySpec);
            if (plaintextLength > max)
                throw new KmsException(KmsErrorCodes.Validation,
                    $"Algorithm {algorithm} and key spec {key.KeySpec} cannot encrypt data larger than {max} bytes.", "Plaintext");
        }

        private byte[] EncryptUnder(KeyRecord key, string algorithm, byte[] plaintext, Dictionary<string, string> context) =>
            key.IsSymmetricEncryption
                ? SealUnderCurrentMaterial(key, plaintext, context)
                : AsymmetricCipher.Encrypt(algorithm, PublicKeyOf(key), plaintext);

        private byte[] DecryptWith(KeyRecord key, CiphertextHeader header, string algorithm, byte[] blob, Dictionary<string, string> context) =>
            header != null
                ? Open(key, header, blob, context)
                : AsymmetricCipher.Decrypt(algorithm, PrivateKeyOf(key), blob) ?? throw CiphertextFormat.InvalidCiphertext();

        /// <summary>Resolves a key for an operation that encrypts under it: it must exist, be usable and be a symmetric encryption key.</summary>
        private KeyRecord UsableEncryptionKey(string operation, string keyId, string member)
        {
            KeyRecord key = ResolveKey(keyId, member);
            RequireUsable(key);
            RequireSymmetricEncryptionKey(key, operation);
            return key;
        }

        /// <summary>The key a blob names, checked against the KeyId the caller gave (IncorrectKeyException) and the key-state table.</summary>
        private (KeyRecord Key, CiphertextHeader Header) BlobKey(byte[] blob, KeyRecord expected, string member)
        {
            CiphertextHeader header = CiphertextFormat.ReadHeader(blob);
            if (expected != null && expected.KeyId != header.KeyId)
                throw new KmsException(KmsErrorCodes.IncorrectKey,
                    "The key ID in the request does not identify a CMK that can perform this operation.", member);
            // A blob names its key; a key this store does not have means the blob is not one of ours, or was altered.
            KeyRecord key = LoadKey(header.KeyId) ?? throw CiphertextFormat.InvalidCiphertext();
            RequireUsable(key);
            if (!key.IsSymmetricEncryption) throw CiphertextFormat.InvalidCiphertext();
            return (key, header);
        }

        private byte[] SealUnderCurrentMaterial(KeyRecord key, byte[] plaintext, Dictionary<string, string> context) =>
            CiphertextFormat.Seal(CurrentMaterial(key), key.KeyId, key.CurrentKeyMaterialId, plaintext, context);

        /// <summary>Opens a blob with the key material it names, which may be older than the key's current material.</summary>
        private byte[] Open(KeyRecord key, CiphertextHeader header, byte[] blob, Dictionary<string, string> context)
        {
            byte[] material = Material(key.KeyId, header.KeyMaterialId) ?? throw CiphertextFormat.InvalidCiphertext();
            return CiphertextFormat.Open(material, blob, context);
        }

        private static string ValidateAlgorithm(string member, string algorithm) =>
            algorithm == null ? EncryptionAlgorithmSpec.SYMMETRIC_DEFAULT : Validation.OneOf(member, algorithm, EncryptionAlgorithmSpec.Values);
    }
}
