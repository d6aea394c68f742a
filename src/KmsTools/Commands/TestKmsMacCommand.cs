using System.Management.Automation;
using KmsTools.Infrastructure;
using KmsTools.Model;

using static KmsTools.Infrastructure.ParameterValues;

namespace KmsTools.Commands
{
    /// <summary>
    /// VerifyMac: checks an HMAC against a message with the HMAC KMS key that made it. A MAC that does not match is a
    /// KMSInvalidMacException, as in KMS: nothing returns MacValid = false.
    /// </summary>
    [Cmdlet(VerbsDiagnostic.Test, "KmsMac", DefaultParameterSetName = BytesSet)]
    [OutputType(typeof(VerifyMacResponse))]
    public sealed class TestKmsMacCommand : KmsMacCmdlet
    {
        /// <summary>The message as text, checked as its UTF-8 bytes.</summary>
        [Parameter(Mandatory = true, ParameterSetName = TextSet)]
        [AllowEmptyString]
        public string MessageString { get; set; }

        /// <summary>The MAC to check: a byte[], a file, or its base64 string (the MacBase64 of New-KmsMac's result).</summary>
        [Parameter(Mandatory = true, Position = 2, ValueFromPipelineByPropertyName = true, ParameterSetName = BytesSet)]
        [Parameter(Mandatory = true, Position = 2, ValueFromPipelineByPropertyName = true, ParameterSetName = TextSet)]
        [Parameter(ValueFromPipelineByPropertyName = true, ParameterSetName = CliInputJsonSet)]
        [AllowEmptyCollection]
        public object Mac { get; set; }

        protected override void ProcessRecord() =>
            Invoke("VerifyMac", KeyId, () => new VerifyMacRequest
            {
                KeyId = KeyId,
                Message = MessageBytes(MessageString),
                Mac = BlobArgument.ToBytes(Mac, "Mac"),
                MacAlgorithm = MacAlgorithm,
                GrantTokens = ToList(GrantToken),
                DryRun = ToDryRun(DryRun, MyInvocation.BoundParameters),
            }, r => KmsBackend.VerifyMac(r, StopToken));
    }
}
