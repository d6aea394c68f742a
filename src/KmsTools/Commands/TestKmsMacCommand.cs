using System.Management.Automation;
using System.Text;
using KmsTools.Infrastructure;
using KmsTools.Model;

using static KmsTools.Infrastructure.ParameterValues;

namespace KmsTools.Commands
{
    /// <summary>
    /// VerifyMac: checks an HMAC against a message with the HMAC KMS key that made it. A MAC that does not match is a
    /// KMSInvalidMacException, as in KMS: nothing returns MacValid = false.
    /// </summary>
    [Cmdlet(VerbsDiagnostic.Test, "KmsMac", DefaultParameterSetName = NewKmsMacCommand.BytesSet)]
    [OutputType(typeof(VerifyMacResponse))]
    public sealed class TestKmsMacCommand : KmsCmdlet
    {
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true, ParameterSetName = NewKmsMacCommand.BytesSet)]
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true, ParameterSetName = NewKmsMacCommand.TextSet)]
        [Parameter(Position = 0, ValueFromPipelineByPropertyName = true, ParameterSetName = CliInputJsonSet)]
        [AllowEmptyString]
        [ArgumentCompleter(typeof(KeyIdCompleter))]
        public string KeyId { get; set; }

        /// <summary>The message: a byte[], a file (Get-Item) or an array of byte values; a string is refused (see -MessageString).</summary>
        [Parameter(Mandatory = true, Position = 1, ParameterSetName = NewKmsMacCommand.BytesSet)]
        [Parameter(ParameterSetName = CliInputJsonSet)]
        [AllowEmptyCollection]
        public object Message { get; set; }

        /// <summary>The message as text, checked as its UTF-8 bytes.</summary>
        [Parameter(Mandatory = true, ParameterSetName = NewKmsMacCommand.TextSet)]
        [AllowEmptyString]
        public string MessageString { get; set; }

        /// <summary>The MAC to check: a byte[], a file, or its base64 string (the MacBase64 of New-KmsMac's result).</summary>
        [Parameter(Mandatory = true, Position = 2, ValueFromPipelineByPropertyName = true, ParameterSetName = NewKmsMacCommand.BytesSet)]
        [Parameter(Mandatory = true, Position = 2, ValueFromPipelineByPropertyName = true, ParameterSetName = NewKmsMacCommand.TextSet)]
        [Parameter(ValueFromPipelineByPropertyName = true, ParameterSetName = CliInputJsonSet)]
        [AllowEmptyCollection]
        public object Mac { get; set; }

        [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true, ParameterSetName = NewKmsMacCommand.BytesSet)]
        [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true, ParameterSetName = NewKmsMacCommand.TextSet)]
        [Parameter(ValueFromPipelineByPropertyName = true, ParameterSetName = CliInputJsonSet)]
        [ArgumentCompleter(typeof(MacAlgorithmCompleter))]
        public string MacAlgorithm { get; set; }

        [Parameter]
        [Alias("GrantTokens")]
        public string[] GrantToken { get; set; }

        [Parameter]
        public SwitchParameter DryRun { get; set; }

        protected override void ProcessRecord() =>
            Invoke("VerifyMac", KeyId, () => new VerifyMacRequest
            {
                KeyId = KeyId,
                Message = MessageString != null ? Encoding.UTF8.GetBytes(MessageString) : BlobArgument.ToBytes(Message, "Message"),
                Mac = BlobArgument.ToBytes(Mac, "Mac"),
                MacAlgorithm = MacAlgorithm,
                GrantTokens = ToList(GrantToken),
                DryRun = ToDryRun(DryRun, MyInvocation.BoundParameters),
            }, r => KmsBackend.VerifyMac(r, StopToken));
    }
}
