using System.Management.Automation;
using KmsTools.Infrastructure;
using KmsTools.Model;

using static KmsTools.Infrastructure.ParameterValues;

namespace KmsTools.Commands
{
    /// <summary>GenerateMac: an HMAC of a message (up to 4096 bytes) with an HMAC KMS key.</summary>
    [Cmdlet(VerbsCommon.New, "KmsMac")]
    [OutputType(typeof(GenerateMacResponse))]
    public sealed class NewKmsMacCommand : KmsMacCmdlet
    {
        /// <summary>The message as text, MACed as its UTF-8 bytes.</summary>
        [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = TextSet)]
        [AllowEmptyString]
        public string MessageString { get; set; }

        protected override void ProcessRecord() =>
            Invoke("GenerateMac", KeyId, () => new GenerateMacRequest
            {
                KeyId = KeyId,
                Message = MessageBytes(MessageString),
                MacAlgorithm = MacAlgorithm,
                GrantTokens = ToList(GrantToken),
                DryRun = ToDryRun(DryRun, MyInvocation.BoundParameters),
            }, r => KmsBackend.GenerateMac(r, StopToken));
    }
}
