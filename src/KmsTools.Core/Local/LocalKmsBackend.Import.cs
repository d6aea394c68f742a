using System;
using System.Collections.Generic;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using System.Threading;
using KmsTools.Crypto;
using KmsTools.Model;

namespace KmsTools.Local
{
    // Bring your own key: a key of origin EXTERNAL is created without material (PendingImport); GetParametersForImport
    // gives an RSA wrapping public key and an import token; ImportKeyMaterial unwraps the material with the wrapping
    // private key, checks it against the key's spec (and against material imported before), and makes the key usable
    // until its ValidTo; DeleteImportedKeyMaterial takes the material away again. The wrapping private keys live in
    // the key's .key file, owner-only like every material, until their 24 hours are over.
    public sealed partial class LocalKmsBackend
    {
        private static readonly TimeSpan ImportParametersLifetime = TimeSpan.FromHours(24);
        private const int MaxImportParameters = 10;
        private const string ImportTokenPrefix = "kmstools-import/1";

        public GetParametersForImportResponse GetParametersForImport(GetParametersForImportRequest request, CancellationToken cancellationToken = default)
        {
            Require(request);
            ValidateKeyId("KeyId", request.KeyId);
            string algorithm = Validation.OneOf("WrappingAlgorithm", request.WrappingAlgorithm, AlgorithmSpec.Values);
            string wrappingSpec = Validation.OneOf("WrappingKeySpec", request.WrappingKeySpec, WrappingKeySpec.Values);
            KeyRecord key = ImportableKey(request.KeyId, "GetParametersForImport");
            if (algorithm == AlgorithmSpec.RSAES_PKCS1_V1_5)
                throw new KmsException(KmsErrorCodes.Validation,
                    "The wrapping algorithm RSAES_PKCS1_V1_5 is no longer supported for importing key material; use RSAES_OAEP_SHA_256 or RSA_AES_KEY_WRAP_SHA_256.", "WrappingAlgorithm");
            if (algorithm == AlgorithmSpec.SM2PKE || wrappingSpec == WrappingKeySpec.SM2)
                throw new KmsException(KmsErrorCodes.UnsupportedOperation,
                    "The local engine wraps imported key material with RSA keys only; SM2 wrapping (China Regions) needs AWS KMS (-Backend Remote).", algorithm == AlgorithmSpec.SM2PKE ? "WrappingAlgorithm" : "WrappingKeySpec");
            if (key.KeySpec.StartsWith("RSA_", StringComparison.Ordinal) && !algorithm.StartsWith("RSA_AES_", StringComparison.Ordinal))
                throw new KmsException(KmsErrorCodes.Validation,
                    $"{ArnOf(key.KeyId)} is an {key.KeySpec} key: an RSA private key is too long to wrap with {algorithm} alone. Use RSA_AES_KEY_WRAP_SHA_256 (or RSA_AES_KEY_WRAP_SHA_1).", "WrappingAlgorithm");

            // RSA generation takes up to seconds (RSA_4096): a stopped pipeline must not wait for it.
            using (GeneratedKeyPair wrapping = SlowWork.Run(() => KeyPairGenerator.Generate(wrappingSpec), cancellationToken, abandoned => abandoned.Dispose()))
            {
                string tokenId = NewKeyMaterialId();
                DateTime validTo = DateTime.UtcNow.Add(ImportParametersLifetime);
                Update(key.KeyId, fresh =>
                {
                    RequireNotPendingDeletion(fresh);
                    DateTime now = DateTime.UtcNow;
                    // Expired parameters (and the oldest beyond the bound) go with their wrapping keys.
                    var kept = fresh.ImportParameters.Where(p => p.ValidTo > now).Skip(Math.Max(0, fresh.ImportParameters.Count(p => p.ValidTo > now) - (MaxImportParameters - 1))).ToList();
                    var dropped = new HashSet<string>(fresh.ImportParameters.Except(kept).Select(p => p.TokenId), StringComparer.Ordinal);
                    if (dropped.Count > 0) _store.RemoveKeyMaterial(fresh.KeyId, dropped.Contains);
                    _store.AddKeyMaterial(fresh.KeyId, tokenId, wrapping.PrivateKeyPkcs8);
                    kept.Add(new ImportParametersRecord { TokenId = tokenId, WrappingAlgorithm = algorithm, WrappingKeySpec = wrappingSpec, ValidTo = validTo });
                    fresh.ImportParameters = kept;
                    return 0;
                });
                return new GetParametersForImportResponse
                {
                    KeyId = ArnOf(key.KeyId),
                    ImportToken = Encoding.ASCII.GetBytes($"{ImportTokenPrefix}:{key.KeyId}:{tokenId}"),
                    PublicKey = (byte[])wrapping.PublicKeyInfo.Clone(),
                    ParametersValidTo = validTo,
                };
            }
        }

        public ImportKeyMaterialResponse ImportKeyMaterial(ImportKeyMaterialRequest request, CancellationToken cancellationToken = default)
        {
            Require(request);
            ValidateKeyId("KeyId", request.KeyId);
            Validation.Length("ImportToken", request.ImportToken, 1, 6144);
            Validation.Length("EncryptedKeyMaterial", request.EncryptedKeyMaterial, 1, 6144);
            string expiration = request.ExpirationModel == null ? ExpirationModelType.KEY_MATERIAL_EXPIRES
                : Validation.OneOf("ExpirationModel", request.ExpirationModel, ExpirationModelType.Values);
            DateTime now = DateTime.UtcNow;
            if (expiration == ExpirationModelType.KEY_MATERIAL_EXPIRES)
            {
                if (request.ValidTo == null)
                    throw new KmsException(KmsErrorCodes.Validation,
                        "ValidTo is required when ExpirationModel is KEY_MATERIAL_EXPIRES (the default). Give -ValidTo, or -ExpirationModel KEY_MATERIAL_DOES_NOT_EXPIRE.", "ValidTo");
                DateTime validTo = request.ValidTo.Value.ToUniversalTime();
                if (validTo <= now)
                    throw new KmsException(KmsErrorCodes.Validation, $"ValidTo {validTo:o} is not in the future.", "ValidTo");
                if (validTo > now.AddDays(365))
                    throw new KmsException(KmsErrorCodes.Validation, $"ValidTo {validTo:o} is more than 365 days from now, the longest KMS allows.", "ValidTo");
            }
            else if (request.ValidTo != null)
                throw new KmsException(KmsErrorCodes.Validation, "ValidTo is not valid with ExpirationModel KEY_MATERIAL_DOES_NOT_EXPIRE: omit it.", "ValidTo");
            string importType = request.ImportType == null ? null : Validation.OneOf("ImportType", request.ImportType, ImportType.Values);
            if (request.KeyMaterialId != null)
            {
                Validation.Length("KeyMaterialId", request.KeyMaterialId, 64, 64);
                if (importType == ImportType.NEW_KEY_MATERIAL)
                    throw new KmsException(KmsErrorCodes.Validation, "KeyMaterialId cannot be given with ImportType NEW_KEY_MATERIAL.", "KeyMaterialId");
            }
            KeyRecord key = ImportableKey(request.KeyId, "ImportKeyMaterial");
            ImportParametersRecord parameters = ParametersOf(key, request.ImportToken, now);

            byte[] wrappingKey = Material(key.KeyId, parameters.TokenId) ?? throw InvalidImportToken();
            byte[] material = Unwrap(parameters, wrappingKey, request.EncryptedKeyMaterial);
            try
            {
                byte[] publicKey = CheckImportedMaterial(key, material);
                string materialId = ImportedMaterialId(key.KeyId, material);
                bool hadMaterial = key.IsSymmetricEncryption ? key.CurrentKeyMaterialId != null : key.ImportedMaterialId != null;
                if (hadMaterial && materialId != (key.IsSymmetricEncryption ? key.CurrentKeyMaterialId : key.ImportedMaterialId))
                    throw new KmsException(KmsErrorCodes.IncorrectKeyMaterial,
                        "The key material does not match the key material previously imported into this KMS key: reimport the same material.", "EncryptedKeyMaterial");
                if (hadMaterial && importType == ImportType.NEW_KEY_MATERIAL)
                    throw new KmsException(KmsErrorCodes.UnsupportedOperation,
                        "The local engine keeps one imported key material per KMS key: reimport it (ImportType EXISTING_KEY_MATERIAL), or create another key for new material.", "ImportType");
                if (request.KeyMaterialId != null && request.KeyMaterialId != materialId)
                    throw new KmsException(KmsErrorCodes.IncorrectKeyMaterial,
                        $"The key material's id is {materialId}, not {request.KeyMaterialId}.", "KeyMaterialId");
                Update(key.KeyId, fresh =>
                {
                    RequireNotPendingDeletion(fresh);
                    if (Material(fresh.KeyId, materialId) == null) _store.AddKeyMaterial(fresh.KeyId, materialId, material);
                    if (fresh.IsSymmetricEncryption) fresh.CurrentKeyMaterialId = materialId;
                    else fresh.ImportedMaterialId = materialId;
                    if (publicKey != null) fresh.PublicKey = publicKey;
                    if (fresh.KeyState == KeyState.PendingImport) fresh.KeyState = KeyState.Enabled;
                    fresh.ExpirationModel = expiration;
                    fresh.ValidTo = expiration == ExpirationModelType.KEY_MATERIAL_EXPIRES ? request.ValidTo.Value.ToUniversalTime() : (DateTime?)null;
                    return 0;
                });
                return new ImportKeyMaterialResponse { KeyId = ArnOf(key.KeyId), KeyMaterialId = key.IsSymmetricEncryption ? materialId : null };
            }
            finally
            {
                SecureBytes.Clear(material);
            }
        }

        public DeleteImportedKeyMaterialResponse DeleteImportedKeyMaterial(DeleteImportedKeyMaterialRequest request, CancellationToken cancellationToken = default)
        {
            Require(request);
            ValidateKeyId("KeyId", request.KeyId);
            if (request.KeyMaterialId != null) Validation.Length("KeyMaterialId", request.KeyMaterialId, 64, 64);
            KeyRecord key = ImportableKey(request.KeyId, "DeleteImportedKeyMaterial");
            string current = key.IsSymmetricEncryption ? key.CurrentKeyMaterialId : key.ImportedMaterialId;
            if (request.KeyMaterialId != null && request.KeyMaterialId != current)
                throw new KmsException(KmsErrorCodes.NotFound, $"{ArnOf(key.KeyId)} has no key material {request.KeyMaterialId}.", "KeyMaterialId");
            Update(key.KeyId, fresh =>
            {
                RequireNotPendingDeletion(fresh);
                RemoveImportedMaterial(fresh);
                return 0;
            });
            return new DeleteImportedKeyMaterialResponse { KeyId = ArnOf(key.KeyId), KeyMaterialId = key.IsSymmetricEncryption ? current : null };
        }

        /// <summary>
        /// Takes an imported key's material away (DeleteImportedKeyMaterial, or its ValidTo passing): the key is
        /// PendingImport until the same material is imported again. Its material id stays, so that its blobs name
        /// the material they need, and decrypt again once it is back.
        /// </summary>
        private void RemoveImportedMaterial(KeyRecord key)
        {
            string current = key.IsSymmetricEncryption ? key.CurrentKeyMaterialId : key.ImportedMaterialId;
            if (current != null)
            {
                _store.RemoveKeyMaterial(key.KeyId, id => id == current);
                ForgetMaterial(key.KeyId, current);
            }
            key.KeyState = KeyState.PendingImport;
            key.ExpirationModel = null;
            key.ValidTo = null;
        }

        /// <summary>A key whose material was imported with a ValidTo that has passed: the material is gone, the key PendingImport.</summary>
        internal static bool ImportedMaterialExpired(KeyRecord key, DateTime now) =>
            key.Origin == OriginType.EXTERNAL && key.ValidTo <= now && key.KeyState != KeyState.PendingImport && key.KeyState != KeyState.PendingDeletion;

        /// <summary>The key id or ARN of a key that takes imported material: origin EXTERNAL, not pending deletion, and the caller allowed.</summary>
        private KeyRecord ImportableKey(string input, string operation)
        {
            KeyRecord key = ResolveKeyNotAlias(input);
            Authorize(key, operation);
            if (key.Origin != OriginType.EXTERNAL)
                throw new KmsException(KmsErrorCodes.UnsupportedOperation,
                    $"{ArnOf(key.KeyId)} origin is {key.Origin} which is not valid for this operation.", "KeyId");
            RequireNotPendingDeletion(key);
            return key;
        }

        private ImportParametersRecord ParametersOf(KeyRecord key, byte[] token, DateTime now)
        {
            string[] parts = null;
            try
            {
                parts = new UTF8Encoding(false, true).GetString(token).Split(':');
            }
            catch (DecoderFallbackException)
            {
            }
            if (parts == null || parts.Length != 3 || parts[0] != ImportTokenPrefix || !KeyIdentifier.IsKeyId(parts[1]))
                throw InvalidImportToken();
            if (parts[1] != key.KeyId)
                throw new KmsException(KmsErrorCodes.InvalidImportToken,
                    $"The import token is for key {ArnOf(parts[1])}, not {ArnOf(key.KeyId)}: use the token and public key of a GetParametersForImport of this key.", "ImportToken");
            ImportParametersRecord parameters = key.ImportParameters.FirstOrDefault(p => p.TokenId == parts[2]);
            // Expired parameters are dropped when the next ones are made; until then they are known, and said to have expired.
            if (parameters != null && parameters.ValidTo <= now)
                throw new KmsException(KmsErrorCodes.ExpiredImportToken,
                    $"The import token expired at {parameters.ValidTo:o}. Call GetParametersForImport again (Get-KmsParametersForImport) and wrap the key material with the new public key.", "ImportToken");
            return parameters ?? throw InvalidImportToken();
        }

        private static KmsException InvalidImportToken() =>
            new KmsException(KmsErrorCodes.InvalidImportToken,
                "The import token is not valid: pass the ImportToken of the GetParametersForImport response whose public key wrapped the key material, unchanged.", "ImportToken");

        /// <summary>
        /// The key material, unwrapped as the parameters' algorithm says: RSAES_OAEP_* is the material under RSA-OAEP;
        /// RSA_AES_KEY_WRAP_* is an RSA-OAEP-encrypted AES-256 key followed by the material under AES key wrap with
        /// padding (RFC 5649), as openssl's id-aes256-wrap-pad makes it. Anything that does not unwrap is
        /// InvalidCiphertextException, as in KMS.
        /// </summary>
        private static byte[] Unwrap(ImportParametersRecord parameters, byte[] wrappingKeyPkcs8, byte[] wrapped)
        {
            var privateKey = Org.BouncyCastle.Security.PrivateKeyFactory.CreateKey(wrappingKeyPkcs8);
            string oaep = parameters.WrappingAlgorithm.EndsWith("SHA_1", StringComparison.Ordinal) ? EncryptionAlgorithmSpec.RSAES_OAEP_SHA_1 : EncryptionAlgorithmSpec.RSAES_OAEP_SHA_256;
            if (!parameters.WrappingAlgorithm.StartsWith("RSA_AES_", StringComparison.Ordinal))
                return AsymmetricCipher.Decrypt(oaep, privateKey, wrapped) ?? throw CiphertextFormat.InvalidCiphertext();
            int modulusBytes = int.Parse(parameters.WrappingKeySpec.Substring("RSA_".Length)) / 8;
            if (wrapped.Length <= modulusBytes) throw CiphertextFormat.InvalidCiphertext();
            byte[] aesKey = AsymmetricCipher.Decrypt(oaep, privateKey, wrapped.Take(modulusBytes).ToArray()) ?? throw CiphertextFormat.InvalidCiphertext();
            try
            {
                if (aesKey.Length != 32) throw CiphertextFormat.InvalidCiphertext();
                var unwrapper = new Org.BouncyCastle.Crypto.Engines.AesWrapPadEngine();
                unwrapper.Init(false, new Org.BouncyCastle.Crypto.Parameters.KeyParameter(aesKey));
                try
                {
                    return unwrapper.Unwrap(wrapped, modulusBytes, wrapped.Length - modulusBytes);
                }
                catch (Org.BouncyCastle.Crypto.InvalidCipherTextException)
                {
                    throw CiphertextFormat.InvalidCiphertext();
                }
            }
            finally
            {
                SecureBytes.Clear(aesKey);
            }
        }

        /// <summary>
        /// Checks imported material against the key's spec, as KMS does: 32 bytes for a symmetric key, AWS's lengths for
        /// an HMAC key, a DER PKCS#8 private key of the very spec for an asymmetric key (whose public key it returns, and
        /// which must be the key's public key if it had one).
        /// </summary>
        private byte[] CheckImportedMaterial(KeyRecord key, byte[] material)
        {
            if (key.IsSymmetricEncryption)
            {
                if (material.Length != CiphertextFormat.KeyMaterialLength)
                    throw new KmsException(KmsErrorCodes.Validation,
                        $"Key material for a SYMMETRIC_DEFAULT key is 32 bytes (256 bits); this is {material.Length} bytes.", "EncryptedKeyMaterial");
                return null;
            }
            if (KeySpec.IsHmac(key.KeySpec))
            {
                int bits = int.Parse(key.KeySpec.Substring("HMAC_".Length));
                int min = bits / 8, max = bits <= 256 ? 64 : 128;
                if (material.Length < min || material.Length > max)
                    throw new KmsException(KmsErrorCodes.Validation,
                        $"Key material for an {key.KeySpec} key is {min} to {max} bytes; this is {material.Length} bytes.", "EncryptedKeyMaterial");
                return null;
            }
            string spec;
            byte[] publicKey;
            try
            {
                spec = KeyPairGenerator.SpecOf(material);
                publicKey = KeyPairGenerator.PublicKeyInfoOf(material);
            }
            catch (Exception e) when (e is ArgumentException || e is InvalidOperationException || e is NotSupportedException || e is Org.BouncyCastle.Security.SecurityUtilityException || e is System.IO.IOException || e is InvalidCastException)
            {
                throw new KmsException(KmsErrorCodes.Validation,
                    $"Key material for an {key.KeySpec} key is its private key in DER PKCS#8 (openssl pkcs8 -topk8 -outform DER -nocrypt); this is not one: {(e is ArgumentException ? e.Message : "it does not parse")}.", "EncryptedKeyMaterial");
            }
            if (spec != key.KeySpec)
                throw new KmsException(KmsErrorCodes.Validation,
                    $"The key material is an {spec} private key; {ArnOf(key.KeyId)} is an {key.KeySpec} key.", "EncryptedKeyMaterial");
            if (key.PublicKey != null && !key.PublicKey.SequenceEqual(publicKey))
                throw new KmsException(KmsErrorCodes.IncorrectKeyMaterial,
                    "The key material does not match the key material previously imported into this KMS key: reimport the same material.", "EncryptedKeyMaterial");
            return publicKey;
        }

        /// <summary>
        /// The id KMS gives imported material, from the key id and the material (so a reimport of the same material has
        /// the same id, and two keys with the same material have different ones); a one-way hash of a secret of 224 bits
        /// or more, which gives nothing of it away.
        /// </summary>
        private static string ImportedMaterialId(string keyId, byte[] material)
        {
            using (var sha = SHA256.Create())
            {
                byte[] prefix = Encoding.ASCII.GetBytes("kmstools-imported-key-material/1:" + keyId + ":");
                sha.TransformBlock(prefix, 0, prefix.Length, null, 0);
                sha.TransformFinalBlock(material, 0, material.Length);
                return Hex.ToLower(sha.Hash);
            }
        }
    }
}
