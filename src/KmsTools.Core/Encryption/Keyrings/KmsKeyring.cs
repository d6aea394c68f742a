using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using KmsTools.Crypto;
using KmsTools.Model;

namespace KmsTools.Encryption.Keyrings
{
    /// <summary>
    /// The ESDK's AWS KMS keyring (framework/aws-kms/aws-kms-keyring.md) over any <see cref="IKmsBackend"/>: the
    /// local engine or a KMS endpoint. On encrypt the first key generates the data key (GenerateDataKey) and each other
    /// key encrypts it (Encrypt); each encrypted data key has provider id "aws-kms", the key ARN KMS answered with as
    /// provider information, and the KMS ciphertext blob, all under the message's full encryption context. On decrypt,
    /// with keys given, only they are tried (a key ARN only on its own encrypted data keys); with none (discovery),
    /// every aws-kms encrypted data key is tried with the key its ARN names.
    /// </summary>
    public sealed class KmsKeyring : IKeyring
    {
        public const string ProviderId = "aws-kms";

        private readonly IKmsBackend _backend;
        private readonly IReadOnlyList<string> _keyIds;
        private readonly List<string> _grantTokens;

        public KmsKeyring(IKmsBackend backend, IReadOnlyList<string> keyIds, IEnumerable<string> grantTokens = null)
        {
            _backend = backend ?? throw new ArgumentNullException(nameof(backend));
            _keyIds = keyIds ?? new string[0];
            _grantTokens = grantTokens?.ToList();
        }

        public string Description => _keyIds.Count == 0 ? "any KMS key (discovery)" : "KMS key " + string.Join(", ", _keyIds);

        public void OnEncrypt(EncryptionMaterials materials, CancellationToken cancellationToken)
        {
            if (_keyIds.Count == 0) throw new ArgumentException("Encryption needs at least one KMS key.");
            var context = materials.EncryptionContext.ToDictionary(p => p.Key, p => p.Value);
            int first = 0;
            if (materials.PlaintextDataKey == null)
            {
                GenerateDataKeyResponse generated = _backend.GenerateDataKey(new GenerateDataKeyRequest
                {
                    KeyId = _keyIds[0], NumberOfBytes = materials.Suite.KeyLength, EncryptionContext = context, GrantTokens = _grantTokens,
                }, cancellationToken);
                try
                {
                    materials.SetDataKey(generated.Plaintext);
                }
                catch
                {
                    SecureBytes.Clear(generated.Plaintext);
                    throw;
                }
                materials.Add(Wrapped(generated.KeyId, generated.CiphertextBlob));
                first = 1;
            }
            for (int i = first; i < _keyIds.Count; i++)
            {
                EncryptResponse encrypted = _backend.Encrypt(new EncryptRequest
                {
                    KeyId = _keyIds[i], Plaintext = materials.PlaintextDataKey, EncryptionContext = context, GrantTokens = _grantTokens,
                }, cancellationToken);
                materials.Add(Wrapped(encrypted.KeyId, encrypted.CiphertextBlob));
            }
        }

        public byte[] OnDecrypt(AlgorithmSuite suite, IReadOnlyDictionary<string, string> encryptionContext, IReadOnlyList<EncryptedDataKey> keys,
            IList<string> failures, CancellationToken cancellationToken)
        {
            var context = encryptionContext.ToDictionary(p => p.Key, p => p.Value);
            foreach (EncryptedDataKey key in keys.Where(k => k.ProviderId == ProviderId))
            {
                string arn = key.ProviderInfoText;
                if (arn == null) continue;
                IEnumerable<string> candidates = _keyIds.Count == 0 ? new[] { arn } : _keyIds.Where(id => !IsArn(id) || id == arn);
                foreach (string keyId in candidates)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    DecryptResponse response;
                    try
                    {
                        response = _backend.Decrypt(new DecryptRequest
                        {
                            KeyId = keyId, CiphertextBlob = key.Ciphertext, EncryptionContext = context, GrantTokens = _grantTokens,
                        }, cancellationToken);
                    }
                    catch (KmsException e)
                    {
                        failures.Add($"{arn}: {e.ErrorCode}: {e.Message}");
                        continue;
                    }
                    // The keyring spec: the key KMS decrypted with must be the one the encrypted data key names.
                    if (response.KeyId != arn || response.Plaintext == null || response.Plaintext.Length != suite.KeyLength)
                    {
                        failures.Add($"{arn}: KMS answered for {response.KeyId} with {response.Plaintext?.Length ?? 0} bytes, not {suite.KeyLength} bytes for this key.");
                        SecureBytes.Clear(response.Plaintext);
                        continue;
                    }
                    return response.Plaintext;
                }
            }
            return null;
        }

        private static bool IsArn(string keyId) => keyId.StartsWith("arn:", StringComparison.Ordinal) && keyId.Contains(":key/");

        private static EncryptedDataKey Wrapped(string keyArn, byte[] blob)
        {
            if (string.IsNullOrEmpty(keyArn) || !keyArn.StartsWith("arn:", StringComparison.Ordinal))
                throw new KmsException(KmsErrorCodes.KMSInternal, $"KMS answered with the key id '{keyArn}', not a key ARN; an encrypted data key must name its key by ARN.");
            return new EncryptedDataKey(ProviderId, MessageFormat.Utf8Strict.GetBytes(keyArn), blob);
        }
    }
}
