using System;
using System.Text;

namespace KmsTools.Encryption
{
    /// <summary>
    /// One encrypted copy of a message's data key (structures.md, "Encrypted Data Key"): which key provider wrapped it
    /// (aws-kms, or a raw keyring's key namespace), that provider's information (a KMS key ARN, a raw key's name) and
    /// the wrapped key. None of it is secret.
    /// </summary>
    public sealed class EncryptedDataKey
    {
        public EncryptedDataKey(string providerId, byte[] providerInfo, byte[] ciphertext)
        {
            ProviderId = providerId ?? throw new ArgumentNullException(nameof(providerId));
            ProviderInfo = providerInfo ?? throw new ArgumentNullException(nameof(providerInfo));
            Ciphertext = ciphertext ?? throw new ArgumentNullException(nameof(ciphertext));
        }

        public string ProviderId { get; }
        public byte[] ProviderInfo { get; }
        public byte[] Ciphertext { get; }

        /// <summary>The provider information as text: a key ARN or a key name (the ESDK's keyrings write UTF-8); null when it is not UTF-8.</summary>
        public string ProviderInfoText
        {
            get
            {
                try
                {
                    return MessageFormat.Utf8Strict.GetString(ProviderInfo);
                }
                catch (DecoderFallbackException)
                {
                    return null;
                }
            }
        }

        /// <summary>
        /// The provider information as people read it: its text; for the ECDH keyrings, whose information is binary by
        /// definition, the recipient's and the sender's compressed points; else 0x and its hex.
        /// </summary>
        public string ProviderInfoShown =>
            (ProviderId == Keyrings.RawEcdhKeyring.ProviderId || ProviderId == Keyrings.RawEcdhKeyring.KmsEcdhProviderId
                ? Keyrings.RawEcdhKeyring.DescribeProviderInfo(ProviderInfo)
                : ProviderInfoText)
            ?? "0x" + Crypto.Hex.ToLower(ProviderInfo);

        public override string ToString() => ProviderId + " " + ProviderInfoShown;
    }
}
