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
            ForEachFile(Path, LiteralPath, input => ProcessFile(input, Destination, Suffix, Force, encrypting: true, inputBuffer: 1,
                // The plaintext is read a batch (4 MiB) at a time: no stream buffer between the file and the batch.
                progress =>
                {
                    var keyrings = Keyrings();
                    var options = ProtectOptions(progress);
                    return (source, output) => MessageEncryptor.Encrypt(source, output, keyrings, options);
                },
                (info, target) => KmsEncryptedMessage.From(info.Header, target, info.MessageLength, info.PlaintextLength, input)));
    }
}
