using System;
using System.Collections.Generic;
using KmsTools.Crypto;

namespace KmsTools.Encryption.Keyrings
{
    /// <summary>
    /// What the keyrings of one encryption share (structures.md, "Encryption Materials"): the suite, the context the
    /// data key is bound to (the caller's, plus the verification key of a signed suite), the plaintext data key once
    /// made, and the encrypted data keys so far. Disposing zeroes the data key.
    /// </summary>
    public sealed class EncryptionMaterials : IDisposable
    {
        private readonly List<EncryptedDataKey> _keys = new List<EncryptedDataKey>();

        public EncryptionMaterials(AlgorithmSuite suite, IReadOnlyDictionary<string, string> encryptionContext)
        {
            Suite = suite ?? throw new ArgumentNullException(nameof(suite));
            EncryptionContext = encryptionContext ?? new Dictionary<string, string>();
        }

        public AlgorithmSuite Suite { get; }
        public IReadOnlyDictionary<string, string> EncryptionContext { get; }

        /// <summary>The data key, once a keyring has made it; null before.</summary>
        public byte[] PlaintextDataKey { get; private set; }

        public IReadOnlyList<EncryptedDataKey> EncryptedDataKeys => _keys;

        /// <summary>Sets the data key a keyring made (KMS GenerateDataKey) or draws one from the platform's random source.</summary>
        public void SetDataKey(byte[] dataKey)
        {
            if (PlaintextDataKey != null) throw new InvalidOperationException("The data key is already set.");
            if (dataKey == null || dataKey.Length != Suite.KeyLength)
                throw new KmsException(KmsErrorCodes.KMSInternal, $"The data key made for {Suite.Name} is {dataKey?.Length ?? 0} bytes, not {Suite.KeyLength}.");
            PlaintextDataKey = dataKey;
        }

        public void GenerateDataKey() => SetDataKey(Randomness.Bytes(Suite.KeyLength));

        public void Add(EncryptedDataKey key) => _keys.Add(key ?? throw new ArgumentNullException(nameof(key)));

        public void Dispose()
        {
            SecureBytes.Clear(PlaintextDataKey);
        }
    }
}
