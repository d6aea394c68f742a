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
    /// keys (KMS keys, a data key pair), the encryption context, the ESDK client's options (commitment policy, the most
    /// encrypted data keys a message may have), the raw keyring's key namespace and name, grant tokens for the KMS
    /// calls; one way of doing a file (checked, staged, shown in Write-Progress, renamed into place) and of gathering
    /// pipeline input; and one way of reporting a failure: a KMS-named error for this item only, its message prefixed
    /// with the item (the file) it is about.
    /// </summary>
    public abstract class KmsEncryptedMessageCmdlet : KmsBackendCmdlet
    {
        /// <summary>The most encrypted data keys a message may have unless -MaxEncryptedDataKeys says otherwise.</summary>
        public const int DefaultMaxEncryptedDataKeys = 10;

        /// <summary>KMS keys: those that encrypt the data key (Protect), or that may decrypt it (Unprotect).</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(KeyIdCompleter))]
        public string[] KeyId { get; set; }

        /// <summary>A data key pair as New-KmsDataKeyPairWithoutPlaintext or New-KmsDataKeyPair writes it.</summary>
        [Parameter]
        public object KeyPair { get; set; }

        /// <summary>The encryption context (Protect), or pairs the message's context must have (Unprotect).</summary>
        [Parameter]
        public object EncryptionContext { get; set; }

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

        private MessageFilePaths _paths;

        /// <summary>The files of -Path (wildcards) or -LiteralPath for this pipeline item, each done by <paramref name="each"/>; one that does not resolve fails alone.</summary>
        internal void ForEachFile(string[] path, string[] literalPath, Action<string> each)
        {
            _paths = _paths ?? new MessageFilePaths(this);
            bool literal = literalPath != null;
            foreach (string input in _paths.Inputs(literal ? literalPath : path, literal, (e, item) => WriteItemError(e, null, item)))
                each(input);
        }

        /// <summary>
        /// One file in, one file out, cheapest checks first: the destination (and -WhatIf asked), the input opened, then
        /// <paramref name="prepare"/> (the keys, a KMS call perhaps, and the options, given a progress reporter), and
        /// only then the output staged beside its destination (owner-only when it is a plaintext), the work run, the
        /// output renamed into place when it returned, and its result written. A failure is this file's error alone,
        /// and leaves no output behind.
        /// </summary>
        internal void ProcessFile(string input, string destination, string suffix, bool force, bool encrypting, int inputBuffer,
            Func<Action<long>, Func<Stream, Stream, MessageInfo>> prepare, Func<MessageInfo, string, object> result)
        {
            StagedFile staged = null;
            FileProgress progress = null;
            try
            {
                string target = _paths.DestinationFor(input, destination, suffix, encrypting, force);
                if (!ShouldProcess($"{input} -> {target}", encrypting ? "Encrypt" : "Decrypt")) return;
                using (var source = new FileStream(input, FileMode.Open, FileAccess.Read, FileShare.Read, inputBuffer, FileOptions.SequentialScan))
                {
                    progress = new FileProgress(this, MyInvocation.MyCommand.Name, input, source.Length);
                    Func<Stream, Stream, MessageInfo> work = prepare(progress.Report);
                    staged = StagedFile.Create(target, ownerOnly: !encrypting);
                    MessageInfo info = work(source, staged.Stream);
                    staged.Commit(force);
                    Verbose($"{(encrypting ? "Encrypted" : "Decrypted")} '{input}' ({(encrypting ? info.PlaintextLength : info.MessageLength)} bytes) to '{target}' ({(encrypting ? info.MessageLength : info.PlaintextLength)} bytes, {info.Header.Suite.Name}).");
                    WriteObject(result(info, target));
                }
            }
            catch (Exception e) when (IsItemFailure(e))
            {
                WriteItemError(e, input, input);
            }
            finally
            {
                staged?.Dispose();
                progress?.Complete();
            }
        }

        /// <summary>Adds a pipeline item to what one message is made from or read from; a bad item is its own error, and spoils the whole (<see cref="PipelineBytes.Spoiled"/>).</summary>
        internal void Gather(PipelineBytes into, object item)
        {
            try
            {
                into.Add(item, "InputObject");
            }
            catch (KmsException e)
            {
                WriteItemError(e, null, null);
            }
        }
    }
}
