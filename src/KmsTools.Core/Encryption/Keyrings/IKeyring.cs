using System.Collections.Generic;
using System.Threading;

namespace KmsTools.Encryption.Keyrings
{
    /// <summary>
    /// A keyring (framework/keyring-interface.md): on encrypt it wraps the message's data key into an encrypted data
    /// key, making the data key first when the materials have none yet; on decrypt it opens one of a message's
    /// encrypted data keys, if any is its own.
    /// </summary>
    public interface IKeyring
    {
        /// <summary>What this keyring is, for messages and -Verbose: "KMS key alias/backup", "RSA key pair kmstools-data-key-pair/3f2a...".</summary>
        string Description { get; }

        void OnEncrypt(EncryptionMaterials materials, CancellationToken cancellationToken);

        /// <summary>
        /// The plaintext data key (the caller zeroes it), or null when none of <paramref name="keys"/> is this keyring's
        /// or none opens; each attempt that failed adds why to <paramref name="failures"/>.
        /// </summary>
        byte[] OnDecrypt(AlgorithmSuite suite, IReadOnlyDictionary<string, string> encryptionContext, IReadOnlyList<EncryptedDataKey> keys,
            IList<string> failures, CancellationToken cancellationToken);
    }
}
