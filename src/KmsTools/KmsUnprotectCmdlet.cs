using System.Collections.Generic;
using System.Management.Automation;
using KmsTools.Crypto;
using KmsTools.Encryption;
using KmsTools.Encryption.Keyrings;
using KmsTools.Infrastructure;
using KmsTools.Model;

namespace KmsTools.Commands
{
    /// <summary>
    /// The decrypting side (Unprotect-KmsFile, Unprotect-KmsData): which keys may open a message's data key. A data key
    /// pair's private key (-KeyPair, -PrivateKeyCiphertextBlob: one KMS Decrypt, once per invocation; -PrivateKey:
    /// none) opens what was encrypted to its public key; KMS keys open their aws-kms encrypted data keys, the keys of
    /// -KeyId only, or with neither given any KMS key a message names (discovery, as aws-encryption-cli's
    /// discovery=true). -EncryptionContext lists pairs the message must have been encrypted with.
    /// </summary>
    public abstract class KmsUnprotectCmdlet : KmsEncryptedMessageCmdlet
    {
        private IReadOnlyList<IKeyring> _keyrings;

        [Parameter]
        public object PrivateKeyCiphertextBlob { get; set; }

        [Parameter]
        public object KeyPairEncryptionContext { get; set; }

        [Parameter]
        public object PrivateKey { get; set; }

        internal IReadOnlyList<IKeyring> Keyrings()
        {
            if (_keyrings != null) return _keyrings;
            var keyrings = new List<IKeyring>();
            IKeyring pair = PairKeyring();
            if (pair != null) keyrings.Add(pair);
            if ((KeyId != null && KeyId.Length > 0) || pair == null) keyrings.Add(new KmsKeyring(KmsBackend, KeyId, GrantToken));
            foreach (IKeyring keyring in keyrings) Verbose("Opening the data key with " + keyring.Description + ".");
            return _keyrings = keyrings;
        }

        internal MessageOptions UnprotectOptions(System.Action<long> progress = null) =>
            NewOptions(ParameterValues.ToEncryptionContext(EncryptionContext), progress);

        /// <summary>The keyring of the data key pair given (raw RSA or raw ECDH, by its key type), its private key decrypted by KMS when only its ciphertext is.</summary>
        private IKeyring PairKeyring()
        {
            KeyPairArgument pair = KeyPair == null ? null : KeyArguments.KeyPair(KeyPair);
            byte[] publicKey = pair?.PublicKey;
            byte[] privateKey = KeyArguments.PrivateKey(PrivateKey, "PrivateKey") ?? pair?.PrivateKeyPlaintext;
            bool decrypted = false;
            if (privateKey == null)
            {
                byte[] blob = BlobArgument.ToBytes(PrivateKeyCiphertextBlob, "PrivateKeyCiphertextBlob") ?? pair?.PrivateKeyCiphertextBlob;
                if (blob == null) return null;
                DecryptResponse response = KmsBackend.Decrypt(new DecryptRequest
                {
                    CiphertextBlob = blob, KeyId = pair?.KeyId,
                    EncryptionContext = ParameterValues.ToEncryptionContext(KeyPairEncryptionContext) ?? pair?.EncryptionContext,
                    GrantTokens = ParameterValues.ToList(GrantToken),
                }, StopToken);
                privateKey = response.Plaintext;
                decrypted = true;
                Verbose("The key pair's private key was decrypted with " + response.KeyId + ".");
            }
            try
            {
                return DataKeyPairKeyring.For(publicKey, privateKey, KeyNamespace, KeyName);
            }
            finally
            {
                // What KMS decrypted is this cmdlet's to zero; a -PrivateKey or a pair's PrivateKeyPlaintext is the caller's.
                if (decrypted) SecureBytes.Clear(privateKey);
            }
        }
    }
}
