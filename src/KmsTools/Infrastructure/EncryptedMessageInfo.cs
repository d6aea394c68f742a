using System;
using System.Collections.Generic;
using System.Linq;
using KmsTools.Encryption;

namespace KmsTools.Infrastructure
{
    /// <summary>One encrypted data key of a message, as aws-encryption-cli's metadata lists it: who wrapped it, never the key.</summary>
    public sealed class KmsEncryptedDataKeyInfo
    {
        public string ProviderId { get; set; }

        /// <summary>The provider information as text: the KMS key ARN, or a raw key's name.</summary>
        public string ProviderInfo { get; set; }

        public int CiphertextLength { get; set; }

        public override string ToString() => ProviderId + " " + ProviderInfo;

        internal static KmsEncryptedDataKeyInfo[] From(MessageHeader header) => header.EncryptedDataKeys.Select(k => new KmsEncryptedDataKeyInfo
        {
            ProviderId = k.ProviderId, ProviderInfo = k.ProviderInfoShown, CiphertextLength = k.Ciphertext.Length,
        }).ToArray();
    }

    /// <summary>
    /// An AWS Encryption SDK message as Protect-KmsFile wrote it or Get-KmsEncryptedMessage read it: where it is, its
    /// suite, id, encryption context (the verification key of a signed suite included, as the header has it), its
    /// encrypted data keys' providers and its framing. Nothing in it is secret.
    /// </summary>
    public sealed class KmsEncryptedMessage
    {
        /// <summary>The message's file, when it is one.</summary>
        public string Path { get; set; }

        /// <summary>The plaintext file it was made from (Protect-KmsFile).</summary>
        public string SourcePath { get; set; }

        public int Version { get; set; }
        public string AlgorithmSuite { get; set; }

        /// <summary>The suite id in hex, as the ESDK's documents write it: 0x0578.</summary>
        public string AlgorithmSuiteId { get; set; }

        /// <summary>The message id, base64 (as aws-encryption-cli's metadata gives it).</summary>
        public string MessageId { get; set; }

        public Dictionary<string, string> EncryptionContext { get; set; }
        public KmsEncryptedDataKeyInfo[] EncryptedDataKeys { get; set; }
        public bool IsFramed { get; set; }
        public uint FrameLength { get; set; }
        public bool IsSigned { get; set; }
        public bool IsCommitting { get; set; }

        /// <summary>The header's length in bytes (its body and authentication): where the body begins.</summary>
        public int HeaderLength { get; set; }

        /// <summary>The message's length in bytes, when known (a header read alone does not know it).</summary>
        public long? Length { get; set; }

        /// <summary>The plaintext's length in bytes, when known (after encryption).</summary>
        public long? PlaintextLength { get; set; }

        public override string ToString() => Path ?? MessageId;

        internal static KmsEncryptedMessage From(MessageHeader header, string path = null, long? length = null, long? plaintextLength = null, string source = null) =>
            new KmsEncryptedMessage
            {
                Path = path, SourcePath = source, Version = header.Version, AlgorithmSuite = header.Suite.Name, AlgorithmSuiteId = "0x" + header.Suite.IdHex,
                MessageId = Convert.ToBase64String(header.MessageId),
                EncryptionContext = header.EncryptionContext.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal),
                EncryptedDataKeys = KmsEncryptedDataKeyInfo.From(header), IsFramed = header.IsFramed, FrameLength = header.FrameLength,
                IsSigned = header.Suite.IsSigned, IsCommitting = header.Suite.IsCommitting,
                HeaderLength = header.Length, Length = length, PlaintextLength = plaintextLength,
            };
    }

    /// <summary>A file Unprotect-KmsFile decrypted: where the plaintext went (never the plaintext), and the message it came from.</summary>
    public sealed class KmsDecryptedFile
    {
        public string Path { get; set; }
        public long Length { get; set; }
        public string MessagePath { get; set; }
        public string AlgorithmSuite { get; set; }
        public string MessageId { get; set; }
        public Dictionary<string, string> EncryptionContext { get; set; }
        public KmsEncryptedDataKeyInfo[] EncryptedDataKeys { get; set; }

        public override string ToString() => Path;

        internal static KmsDecryptedFile From(MessageInfo info, string path, string messagePath) => new KmsDecryptedFile
        {
            Path = path, Length = info.PlaintextLength, MessagePath = messagePath, AlgorithmSuite = info.Header.Suite.Name,
            MessageId = Convert.ToBase64String(info.Header.MessageId),
            EncryptionContext = info.Header.EncryptionContext.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal),
            EncryptedDataKeys = KmsEncryptedDataKeyInfo.From(info.Header),
        };
    }
}
