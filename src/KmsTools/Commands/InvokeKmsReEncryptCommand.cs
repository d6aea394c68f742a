using System.Management.Automation;
using KmsTools.Infrastructure;
using KmsTools.Model;

using static KmsTools.Infrastructure.ParameterValues;

namespace KmsTools.Commands
{
    /// <summary>ReEncrypt: decrypts and encrypts again inside KMS, under another key and/or context; the plaintext never reaches the caller.</summary>
    [Cmdlet(VerbsLifecycle.Invoke, "KmsReEncrypt", DefaultParameterSetName = ParametersSet)]
    [OutputType(typeof(ReEncryptResponse))]
    public sealed class InvokeKmsReEncryptCommand : KmsCmdlet
    {
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true, ParameterSetName = ParametersSet)]
        [Parameter(Position = 0, ValueFromPipelineByPropertyName = true, ParameterSetName = CliInputJsonSet)]
        [Alias("PrivateKeyCiphertextBlob")]
        [AllowEmptyCollection]
        [AllowEmptyString]
        public object CiphertextBlob { get; set; }

        [Parameter(Mandatory = true, Position = 1, ParameterSetName = ParametersSet)]
        [Parameter(Position = 1, ParameterSetName = CliInputJsonSet)]
        [AllowEmptyString]
        [ArgumentCompleter(typeof(KeyIdCompleter))]
        public string DestinationKeyId { get; set; }

        /// <summary>The context the blob was made with. Binds from the EncryptionContext of piped results.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("EncryptionContext")]
        public object SourceEncryptionContext { get; set; }

        [Parameter]
        public object DestinationEncryptionContext { get; set; }

        /// <summary>When given, the blob must have been made under this key (IncorrectKeyException otherwise). Binds from KeyId of piped results.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("KeyId")]
        [ArgumentCompleter(typeof(KeyIdCompleter))]
        public string SourceKeyId { get; set; }

        [Parameter]
        [ArgumentCompleter(typeof(EncryptionAlgorithmCompleter))]
        public string SourceEncryptionAlgorithm { get; set; }

        [Parameter]
        [ArgumentCompleter(typeof(EncryptionAlgorithmCompleter))]
        public string DestinationEncryptionAlgorithm { get; set; }

        [Parameter]
        [Alias("GrantTokens")]
        public string[] GrantToken { get; set; }

        [Parameter]
        public SwitchParameter DryRun { get; set; }

        protected override void ProcessRecord() =>
            Invoke("ReEncrypt", CiphertextBlob, () => new ReEncryptRequest
            {
                CiphertextBlob = BlobArgument.ToBytes(CiphertextBlob, "CiphertextBlob"),
                SourceEncryptionContext = ToEncryptionContext(SourceEncryptionContext),
                SourceKeyId = SourceKeyId,
                DestinationKeyId = DestinationKeyId,
                DestinationEncryptionContext = ToEncryptionContext(DestinationEncryptionContext),
                SourceEncryptionAlgorithm = SourceEncryptionAlgorithm,
                DestinationEncryptionAlgorithm = DestinationEncryptionAlgorithm,
                GrantTokens = ToList(GrantToken),
                DryRun = ToDryRun(DryRun, MyInvocation.BoundParameters),
            }, r => KmsBackend.ReEncrypt(r, StopToken));
    }
}
