using System;
using System.Collections.Generic;
using System.IO;
using System.Management.Automation;
using KmsTools.Encryption;
using KmsTools.Infrastructure;

namespace KmsTools.Commands
{
    /// <summary>
    /// What the cmdlets of the AWS Encryption SDK message format share (Protect-/Unprotect-KmsFile and -KmsData): the
    /// ESDK client's options (commitment policy, the most encrypted data keys a message may have), the raw keyring's
    /// key namespace and name, grant tokens for the KMS calls, and one way of reporting a failure: a KMS-named error
    /// for this item only, its message prefixed with the item (the file) it is about.
    /// </summary>
    public abstract class KmsEncryptedMessageCmdlet : KmsBackendCmdlet
    {
        /// <summary>The most encrypted data keys a message may have unless -MaxEncryptedDataKeys says otherwise.</summary>
        public const int DefaultMaxEncryptedDataKeys = 10;

        [Parameter]
        public CommitmentPolicy CommitmentPolicy { get; set; } = CommitmentPolicy.RequireEncryptRequireDecrypt;

        [Parameter]
        [ValidateRange(1, ushort.MaxValue)]
        public int MaxEncryptedDataKeys { get; set; } = DefaultMaxEncryptedDataKeys;

        [Parameter]
        [ValidateNotNullOrEmpty]
        public string KeyNamespace { get; set; }

        [Parameter]
        [ValidateNotNullOrEmpty]
        public string KeyName { get; set; }

        [Parameter]
        [Alias("GrantTokens")]
        public string[] GrantToken { get; set; }

        internal MessageOptions NewOptions(IDictionary<string, string> context, Action<long> progress = null) => new MessageOptions
        {
            CommitmentPolicy = CommitmentPolicy, MaxEncryptedDataKeys = MaxEncryptedDataKeys, EncryptionContext = context,
            Progress = progress, CancellationToken = StopToken,
        };

        /// <summary>
        /// Writes the failure of one item as a non-terminating error: a KmsException under its KMS name, an I/O failure
        /// as FileIOError; the item is named first in the message, so that a pipeline of files says which one failed.
        /// A stop (Ctrl+C) is not a failure: it goes on up.
        /// </summary>
        internal void WriteItemError(Exception error, string item, object target)
        {
            string prefix = item == null ? string.Empty : $"'{item}': ";
            switch (error)
            {
                case KmsException kms:
                    WriteError(KmsErrorRecords.Create(new KmsException(kms.ErrorCode, prefix + kms.Message, kms.MemberName, kms), target));
                    break;
                case IOException _:
                case UnauthorizedAccessException _:
                    var record = new ErrorRecord(error, "FileIOError", ErrorCategory.WriteError, target);
                    record.ErrorDetails = new ErrorDetails(prefix + error.Message + " Nothing was written.");
                    WriteError(record);
                    break;
                default:
                    System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(error).Throw();
                    break;
            }
        }

        internal static bool IsItemFailure(Exception e) => e is KmsException || e is IOException || e is UnauthorizedAccessException;
    }
}
