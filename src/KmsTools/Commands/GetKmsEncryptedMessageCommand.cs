using System;
using System.IO;
using System.Management.Automation;
using KmsTools.Encryption;
using KmsTools.Infrastructure;

namespace KmsTools.Commands
{
    /// <summary>
    /// Reads the header of AWS Encryption SDK messages without decrypting them (no key, no KMS call): the suite, the
    /// message id, the encryption context and who can open the data key. The header is not authenticated until a key
    /// opens it, so this says what the message claims.
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "KmsEncryptedMessage", DefaultParameterSetName = PathSet)]
    [OutputType(typeof(KmsEncryptedMessage))]
    public sealed class GetKmsEncryptedMessageCommand : PSCmdlet, IDisposable
    {
        private const string PathSet = "Path";
        private const string LiteralPathSet = "LiteralPath";
        private const string InputObjectSet = "InputObject";
        private MessageFilePaths _paths;

        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ParameterSetName = PathSet)]
        [SupportsWildcards]
        [ValidateNotNullOrEmpty]
        public string[] Path { get; set; }

        [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true, ParameterSetName = LiteralPathSet)]
        [Alias("PSPath", "LP")]
        [ValidateNotNullOrEmpty]
        public string[] LiteralPath { get; set; }

        /// <summary>
        /// A message in memory: its bytes (also piped, as Protect-KmsData or Get-Content -AsByteStream writes them: one
        /// message from all of the pipeline's bytes), a stream, or its base64 text. A file piped in (Get-ChildItem) is read as a path.
        /// </summary>
        [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = InputObjectSet)]
        public object InputObject { get; set; }

        private PipelineBytes _bytes;

        [Parameter]
        [ValidateRange(1, ushort.MaxValue)]
        public int MaxEncryptedDataKeys { get; set; } = KmsEncryptedMessageCmdlet.DefaultMaxEncryptedDataKeys;

        protected override void ProcessRecord()
        {
            if (ParameterSetName == InputObjectSet)
            {
                // Get-ChildItem's files bind here (an object needs no conversion, a path string would): read them as files.
                if (ParameterValues.Unwrap(InputObject) is FileSystemInfo file)
                {
                    ReadFiles(new[] { file.FullName }, literal: true);
                    return;
                }
                _bytes = _bytes ?? new PipelineBytes(textIsBase64: true);
                try
                {
                    _bytes.Add(InputObject, "InputObject");
                }
                catch (KmsException e)
                {
                    WriteError(KmsErrorRecords.Create(e, InputObject));
                }
                return;
            }
            bool isLiteral = ParameterSetName == LiteralPathSet;
            ReadFiles(isLiteral ? LiteralPath : Path, isLiteral);
        }

        protected override void EndProcessing()
        {
            if (_bytes == null) return;
            try
            {
                if (!_bytes.Spoiled) WriteObject(KmsEncryptedMessage.From(MessageDecryptor.ReadHeader(_bytes.Open("InputObject"), MaxEncryptedDataKeys)));
            }
            catch (KmsException e)
            {
                WriteError(KmsErrorRecords.Create(e, null));
            }
            finally
            {
                _bytes.Dispose();
                _bytes = null;
            }
        }

        /// <summary>A stopped pipeline never reaches EndProcessing: what was gathered is let go here.</summary>
        public void Dispose()
        {
            _bytes?.Dispose();
            _bytes = null;
        }

        private void ReadFiles(string[] paths, bool literal)
        {
            _paths = _paths ?? new MessageFilePaths(this);
            foreach (string path in _paths.Inputs(paths, literal, (e, item) => WriteError(KmsErrorRecords.Create((KmsException)e, item))))
            {
                try
                {
                    using (var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 64 * 1024))
                        WriteObject(KmsEncryptedMessage.From(MessageDecryptor.ReadHeader(stream, MaxEncryptedDataKeys), path, stream.Length));
                }
                catch (KmsException e)
                {
                    WriteError(KmsErrorRecords.Create(new KmsException(e.ErrorCode, $"'{path}': {e.Message}", e.MemberName, e), path));
                }
                catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
                {
                    WriteError(new ErrorRecord(e, "FileIOError", ErrorCategory.ReadError, path));
                }
            }
        }
    }
}
