using System.Management.Automation;
using System.Text;
using KmsTools.Infrastructure;
using KmsTools.Model;

using static KmsTools.Infrastructure.ParameterValues;

namespace KmsTools.Commands
{
    /// <summary>GenerateMac: an HMAC of a message (up to 4096 bytes) with an HMAC KMS key.</summary>
    [Cmdlet(VerbsCommon.New, "KmsMac")]
    [OutputType(typeof(GenerateMacResponse))]
    public sealed class NewKmsMacCommand : KmsCmdlet
    {
        internal const string BytesSet = "Bytes";
        internal const string TextSet = "Text";

        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true, ParameterSetName = BytesSet)]
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true, ParameterSetName = TextSet)]
        [Parameter(Position = 0, ValueFromPipelineByPropertyName = true, ParameterSetName = CliInputJsonSet)]
        [AllowEmptyString]
        [ArgumentCompleter(typeof(KeyIdCompleter))]
        public string KeyId { get; set; }

        /// <summary>The message: a byte[], a file (Get-Item) or an array of byte values; a string is refused (see -MessageString).</summary>
        [Parameter(Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true, ParameterSetName = BytesSet)]
        [Parameter(ParameterSetName = CliInputJsonSet)]
        [AllowEmptyCollection]
        public object Message { get; set; }

        /// <summary>The message as text, MACed as its UTF-8 bytes.</summary>
        [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = TextSet)]
        [AllowEmptyString]
        public string MessageString { get; set; }

        [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true, ParameterSetName = BytesSet)]
        [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true, ParameterSetName = TextSet)]
        [Parameter(ValueFromPipelineByPropertyName = true, ParameterSetName = CliInputJsonSet)]
        [ArgumentCompleter(typeof(MacAlgorithmCompleter))]
        public string MacAlgorithm { get; set; }

        [Parameter]
        [Alias("GrantTokens")]
        public string[] GrantToken { get; set; }

        [Parameter]
        public SwitchParameter DryRun { get; set; }

        protected override void ProcessRecord() =>
            Invoke("GenerateMac", KeyId, () => new GenerateMacRequest
            {
                KeyId = KeyId,
                Message = MessageString != null ? Encoding.UTF8.GetBytes(MessageString) : BlobArgument.ToBytes(Message, "Message"),
                MacAlgorithm = MacAlgorithm,
                GrantTokens = ToList(GrantToken),
                DryRun = ToDryRun(DryRun, MyInvocation.BoundParameters),
            }, r => KmsBackend.GenerateMac(r, StopToken));
    }
}
