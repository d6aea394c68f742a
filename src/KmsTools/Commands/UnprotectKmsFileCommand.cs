using System;
using System.IO;
using System.Management.Automation;
using KmsTools.Encryption;
using KmsTools.Infrastructure;

namespace KmsTools.Commands
{
    /// <summary>
    /// Decrypts AWS Encryption SDK messages (Protect-KmsFile's, aws-encryption-cli's, any ESDK's) into files, streaming
    /// in constant memory. The plaintext goes to an owner-only temporary file beside the destination, which is renamed
    /// into place only after the key commitment, every frame and the signature have verified: a tampered, truncated or
    /// wrongly keyed message leaves no plaintext behind, and the error says which part failed.
    /// </summary>
    [Cmdlet(VerbsSecurity.Unprotect, "KmsFile", DefaultParameterSetName = PathSet, SupportsShouldProcess = true)]
    [OutputType(typeof(KmsDecryptedFile))]
    public sealed class UnprotectKmsFileCommand : KmsUnprotectCmdlet
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
                UnprotectOne(input);
        }

        private void UnprotectOne(string input)
        {
            StagedFile staged = null;
            FileProgress progress = null;
            try
            {
                string destination = _paths.DestinationFor(input, Destination, Suffix, encrypting: false, Force);
                if (!ShouldProcess($"{input} -> {destination}", "Decrypt")) return;
                var keyrings = Keyrings();
                using (var source = new FileStream(input, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan))
                {
                    progress = new FileProgress(this, "Unprotect-KmsFile", input, source.Length);
                    MessageOptions options = UnprotectOptions(progress.Report);
                    staged = StagedFile.Create(destination, ownerOnly: true);
                    MessageInfo info = MessageDecryptor.Decrypt(source, staged.Stream, keyrings, options);
                    staged.Commit(Force);
                    Verbose($"Decrypted '{input}' ({info.Header.Suite.Name}) to '{destination}' ({info.PlaintextLength} bytes).");
                    WriteObject(KmsDecryptedFile.From(info, destination, input));
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
