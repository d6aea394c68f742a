using System.Management.Automation;
using System.Text;
using KmsTools.Infrastructure;
using KmsTools.Model;

using static KmsTools.Infrastructure.ParameterValues;

namespace KmsTools.Commands
{
    /// <summary>Sign: a digital signature of a message (up to 4096 bytes) or of its digest, with an asymmetric SIGN_VERIFY key.</summary>
    [Cmdlet(VerbsLifecycle.Invoke, "KmsSigning")]
    [OutputType(typeof(SignResponse))]
    public sealed class InvokeKmsSigningCommand : KmsCmdlet
    {
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true, ParameterSetName = NewKmsMacCommand.BytesSet)]
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true, ParameterSetName = NewKmsMacCommand.TextSet)]
        [Parameter(Position = 0, ValueFromPipelineByPropertyName = true, ParameterSetName = CliInputJsonSet)]
        [AllowEmptyString]
        [ArgumentCompleter(typeof(KeyIdCompleter))]
        public string KeyId { get; set; }

        /// <summary>The message or digest: a byte[], a file (Get-Item) or an array of byte values; a string is refused (see -MessageString).</summary>
        [Parameter(Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true, ParameterSetName = NewKmsMacCommand.BytesSet)]
        [Parameter(ParameterSetName = CliInputJsonSet)]
        [AllowEmptyCollection]
        public object Message { get; set; }

        /// <summary>The message as text, signed as its UTF-8 bytes.</summary>
        [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = NewKmsMacCommand.TextSet)]
        [AllowEmptyString]
        public string MessageString { get; set; }

        /// <summary>RAW (the default: the message itself), DIGEST (its hash) or EXTERNAL_MU (ML-DSA).</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(MessageTypeCompleter))]
        public string MessageType { get; set; }

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
            Invoke("Sign", KeyId, () => new SignRequest
            {
                KeyId = KeyId,
                Message = MessageString != null ? Encoding.UTF8.GetBytes(MessageString) : BlobArgument.ToBytes(Message, "Message"),
                MessageType = MessageType,
                SigningAlgorithm = SigningAlgorithm,
                GrantTokens = ToList(GrantToken),
                DryRun = ToDryRun(DryRun, MyInvocation.BoundParameters),
            }, r => KmsBackend.Sign(r, StopToken));
    }
}
