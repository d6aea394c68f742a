using System.Management.Automation;
using System.Text;
using KmsTools.Infrastructure;
using KmsTools.Model;

using static KmsTools.Infrastructure.ParameterValues;

namespace KmsTools.Commands
{
    /// <summary>
    /// Verify: checks a signature against a message (or its digest) with the KMS key that made it. A signature that
    /// does not verify is a KMSInvalidSignatureException, as in KMS: nothing returns SignatureValid = false.
    /// </summary>
    [Cmdlet(VerbsDiagnostic.Test, "KmsSignature", DefaultParameterSetName = NewKmsMacCommand.BytesSet)]
    [OutputType(typeof(VerifyResponse))]
    public sealed class TestKmsSignatureCommand : KmsCmdlet
    {
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true, ParameterSetName = NewKmsMacCommand.BytesSet)]
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true, ParameterSetName = NewKmsMacCommand.TextSet)]
        [Parameter(Position = 0, ValueFromPipelineByPropertyName = true, ParameterSetName = CliInputJsonSet)]
        [AllowEmptyString]
        [ArgumentCompleter(typeof(KeyIdCompleter))]
        public string KeyId { get; set; }

        /// <summary>The message or digest: a byte[], a file (Get-Item) or an array of byte values; a string is refused (see -MessageString).</summary>
        [Parameter(Mandatory = true, Position = 1, ParameterSetName = NewKmsMacCommand.BytesSet)]
        [Parameter(ParameterSetName = CliInputJsonSet)]
        [AllowEmptyCollection]
        public object Message { get; set; }

        /// <summary>The message as text, checked as its UTF-8 bytes.</summary>
        [Parameter(Mandatory = true, ParameterSetName = NewKmsMacCommand.TextSet)]
        [AllowEmptyString]
        public string MessageString { get; set; }

        [Parameter]
        [ArgumentCompleter(typeof(MessageTypeCompleter))]
        public string MessageType { get; set; }

        /// <summary>The signature: a byte[], a file, or its base64 string (the SignatureBase64 of Invoke-KmsSigning's result).</summary>
        [Parameter(Mandatory = true, Position = 2, ValueFromPipelineByPropertyName = true, ParameterSetName = NewKmsMacCommand.BytesSet)]
        [Parameter(Mandatory = true, Position = 2, ValueFromPipelineByPropertyName = true, ParameterSetName = NewKmsMacCommand.TextSet)]
        [Parameter(ValueFromPipelineByPropertyName = true, ParameterSetName = CliInputJsonSet)]
        [AllowEmptyCollection]
        public object Signature { get; set; }

        [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true, ParameterSetName = NewKmsMacCommand.BytesSet)]
        [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true, ParameterSetName = NewKmsMacCommand.TextSet)]
        [Parameter(ValueFromPipelineByPropertyName = true, ParameterSetName = CliInputJsonSet)]
        [ArgumentCompleter(typeof(SigningAlgorithmCompleter))]
        public string SigningAlgorithm { get; set; }

        [Parameter]
        [Alias("GrantTokens")]
        public string[] GrantToken { get; set; }

        [Parameter]
        public SwitchParameter DryRun { get; set; }

        protected override void ProcessRecord() =>
            Invoke("Verify", KeyId, () => new VerifyRequest
            {
                KeyId = KeyId,
                Message = MessageString != null ? Encoding.UTF8.GetBytes(MessageString) : BlobArgument.ToBytes(Message, "Message"),
                MessageType = MessageType,
                Signature = BlobArgument.ToBytes(Signature, "Signature"),
                SigningAlgorithm = SigningAlgorithm,
                GrantTokens = ToList(GrantToken),
                DryRun = ToDryRun(DryRun, MyInvocation.BoundParameters),
            }, r => KmsBackend.Verify(r, StopToken));
    }
}
