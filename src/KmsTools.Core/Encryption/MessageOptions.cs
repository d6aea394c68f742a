using System;
using System.Collections.Generic;
using System.Threading;

namespace KmsTools.Encryption
{
    /// <summary>The ESDK's commitment policies (framework/commitment-policy.md), by their ESDK names.</summary>
    public enum CommitmentPolicy
    {
        /// <summary>The default: encrypt with committing suites only, decrypt committing messages only.</summary>
        RequireEncryptRequireDecrypt,
        /// <summary>Encrypt with committing suites; decrypt messages of any suite (version 1 messages too).</summary>
        RequireEncryptAllowDecrypt,
        /// <summary>Encrypt with non-committing (version 1) suites only, as ESDK 1.x did; decrypt any.</summary>
        ForbidEncryptAllowDecrypt,
    }

    /// <summary>How a message is written or read.</summary>
    public sealed class MessageOptions
    {
        public const int DefaultFrameLength = 4096;

        /// <summary>The largest frame (and non-framed body) this module holds in memory at once: 64 MiB.</summary>
        public const int MaxFrameLength = 64 * 1024 * 1024;

        /// <summary>The suite to encrypt with; the default is <see cref="AlgorithmSuite.Default"/> (or 0x0378 under ForbidEncryptAllowDecrypt).</summary>
        public AlgorithmSuite Suite { get; set; }

        public int FrameLength { get; set; } = DefaultFrameLength;

        public CommitmentPolicy CommitmentPolicy { get; set; } = CommitmentPolicy.RequireEncryptRequireDecrypt;

        /// <summary>The most encrypted data keys a message may have (0: no limit), checked on encrypt and as soon as a header gives its count.</summary>
        public int MaxEncryptedDataKeys { get; set; }

        /// <summary>Encrypt: the encryption context. Decrypt: pairs the message's context must contain (aws-encryption-cli's -c on decrypt).</summary>
        public IDictionary<string, string> EncryptionContext { get; set; }

        /// <summary>Told the number of input bytes consumed so far, after each batch of frames.</summary>
        public Action<long> Progress { get; set; }

        public CancellationToken CancellationToken { get; set; }

        internal static bool Allows(CommitmentPolicy policy, AlgorithmSuite suite, bool encrypting)
        {
            if (!encrypting) return suite.IsCommitting || policy != CommitmentPolicy.RequireEncryptRequireDecrypt;
            return policy == CommitmentPolicy.ForbidEncryptAllowDecrypt ? !suite.IsCommitting : suite.IsCommitting;
        }
    }

    /// <summary>What a message is, read or written: its header and sizes. No key material.</summary>
    public sealed class MessageInfo
    {
        internal MessageInfo(MessageHeader header, long plaintextLength, long messageLength)
        {
            Header = header;
            PlaintextLength = plaintextLength;
            MessageLength = messageLength;
        }

        public MessageHeader Header { get; }
        public long PlaintextLength { get; }
        public long MessageLength { get; }
    }
}
