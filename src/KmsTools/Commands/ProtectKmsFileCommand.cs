using System;
using System.IO;
using System.Management.Automation;
using KmsTools.Encryption;
using KmsTools.Infrastructure;

namespace KmsTools.Commands
{
    /// <summary>
    /// Encrypts files into AWS Encryption SDK messages (what aws-encryption-cli --encrypt writes), streaming in constant
    /// memory: for KMS keys, for a data key pair's public key (offline), or both. Each output is written to a temporary
    /// file beside its destination and renamed into place only when complete; an existing file is replaced only with
    /// -Force. One file that fails does not stop the others.
    /// </summary>
    [Cmdlet(VerbsSecurity.Protect, "KmsFile", DefaultParameterSetName = PathSet, SupportsShouldProcess = true)]
    [OutputType(typeof(KmsEncryptedMessage))]
    public sealed class ProtectKmsFileCommand : KmsProtectCmdlet
    {
        private const string PathSet = "Path";
        private const string LiteralPathSet = "LiteralPath";
        private MessageFilePaths _paths;

        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ParameterSetName = PathSet)]
        [SupportsWildcards]
        [ValidateNotNullOrEmpty]
        public string[] Path { get; set; }

        [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true, ParameterSetName = LiteralPathSet)]
        [Alias("PSPath", "LP")]
        [ValidateNotNullOrEmpty]
        public string[] LiteralPath { get; set; }

        [Parameter(Position = 1)]
        [ValidateNotNullOrEmpty]
        public string Destination { get; set; }

        [Parameter]
        [ValidateNotNullOrEmpty]
        public string Suffix { get; set; } = ".encrypted";

        [Parameter]
        public SwitchParameter Force { get; set; }

        protected override void ProcessRecord()
        {
            _paths = _paths ?? new MessageFilePaths(this);
            bool literal = ParameterSetName == LiteralPathSet;
            foreach (string input in _paths.Inputs(literal ? LiteralPath : Path, literal, (e, item) => WriteItemError(e, null, item)))
                ProtectOne(input);
        }

        private void ProtectOne(string input)
        {
            StagedFile staged = null;
            FileProgress progress = null;
            try
            {
                string destination = _paths.DestinationFor(input, Destination, Suffix, encrypting: true, Force);
                if (!ShouldProcess($"{input} -> {destination}", "Encrypt")) return;
                var keyrings = Keyrings();
                using (var source = new FileStream(input, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan))
                {
                    progress = new FileProgress(this, "Protect-KmsFile", input, source.Length);
                    MessageOptions options = ProtectOptions(progress.Report);
                    staged = StagedFile.Create(destination, ownerOnly: false);
                    MessageInfo info = MessageEncryptor.Encrypt(source, staged.Stream, keyrings, options);
                    staged.Commit(Force);
                    Verbose($"Encrypted '{input}' ({info.PlaintextLength} bytes) to '{destination}' ({info.MessageLength} bytes, {info.Header.Suite.Name}).");
                    WriteObject(KmsEncryptedMessage.From(info.Header, destination, info.MessageLength, info.PlaintextLength, input));
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
    }
}
