using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using KmsTools.Encryption;
using KmsTools.Encryption.Keyrings;
using KmsTools.Infrastructure;

namespace KmsTools.Commands
{
    /// <summary>
    /// The encrypting side (Protect-KmsFile, Protect-KmsData): whom the data key is wrapped for (KMS keys, the first of
    /// which generates it; a data key pair's public key, offline), the encryption context, the suite and frame length.
    /// The keyrings are made once per invocation, on the first item, so that a bad key fails each item with the same
    /// clear error and a good one is parsed once.
    /// </summary>
    public abstract class KmsProtectCmdlet : KmsEncryptedMessageCmdlet
    {
        private IReadOnlyList<IKeyring> _keyrings;

        [Parameter]
        public object PublicKey { get; set; }

        [Parameter]
        [ValidateRange(1, MessageOptions.MaxFrameLength)]
        public int FrameLength { get; set; } = MessageOptions.DefaultFrameLength;

        [Parameter]
        [ArgumentCompleter(typeof(AlgorithmSuiteCompleter))]
        public string Algorithm { get; set; }

        /// <summary>The keyrings, first the KMS keys (the first generates the data key), then the public key.</summary>
        internal IReadOnlyList<IKeyring> Keyrings()
        {
            if (_keyrings != null) return _keyrings;
            var keyrings = new List<IKeyring>();
            if (KeyId != null && KeyId.Length > 0) keyrings.Add(new KmsKeyring(KmsBackend, KeyId, GrantToken));
            byte[] publicKey = KeyArguments.PublicKey(PublicKey, "PublicKey");
            if (publicKey == null && KeyPair != null) publicKey = KeyArguments.KeyPair(KeyPair).PublicKey
                ?? throw new KmsException(KmsErrorCodes.Validation, "-KeyPair has no PublicKey: encrypting to a pair needs its public key.", "KeyPair");
            if (publicKey != null) keyrings.Add(DataKeyPairKeyring.For(publicKey, null, KeyNamespace, KeyName));
            if (keyrings.Count == 0)
                throw new KmsException(KmsErrorCodes.Validation,
                    "Say whom to encrypt for: -KeyId (KMS keys), -PublicKey (a data key pair's RSA or EC public key, offline) or -KeyPair (what New-KmsDataKeyPairWithoutPlaintext writes).", "KeyId");
            foreach (IKeyring keyring in keyrings) Verbose("Encrypting the data key for " + keyring.Description + ".");
            return _keyrings = keyrings;
        }

        internal MessageOptions ProtectOptions(System.Action<long> progress = null)
        {
            MessageOptions options = NewOptions(ParameterValues.ToEncryptionContext(EncryptionContext), progress);
            options.FrameLength = FrameLength;
            if (Algorithm != null)
            {
                options.Suite = AlgorithmSuite.Find(Algorithm) ?? throw new KmsException(KmsErrorCodes.Validation,
                    $"'{Algorithm}' is not an AWS Encryption SDK algorithm suite. Suites: {string.Join(", ", AlgorithmSuite.All.Select(s => s.Name))} (or their ids, such as 0x0578).", "Algorithm");
            }
            return options;
        }
    }
}
