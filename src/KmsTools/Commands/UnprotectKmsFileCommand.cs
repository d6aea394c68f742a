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

        protected override void ProcessRecord() =>
            ForEachFile(Path, LiteralPath, input => ProcessFile(input, Destination, Suffix, Force, encrypting: false, inputBuffer: 1 << 16,
                progress =>
                {
                    var keyrings = Keyrings();
                    var options = UnprotectOptions(progress);
                    return (source, output) => MessageDecryptor.Decrypt(source, output, keyrings, options);
                },
                (info, target) => KmsDecryptedFile.From(info, target, input)));
    }
}
