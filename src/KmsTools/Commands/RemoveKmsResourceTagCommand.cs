using System.Management.Automation;
using KmsTools.Infrastructure;
using KmsTools.Model;

using static KmsTools.Infrastructure.ParameterValues;

namespace KmsTools.Commands
{
    /// <summary>UntagResource: removes tags from a key by their keys.</summary>
    [Cmdlet(VerbsCommon.Remove, "KmsResourceTag", DefaultParameterSetName = ParametersSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(KeyMetadata))]
    public sealed class RemoveKmsResourceTagCommand : KmsCmdlet
    {
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true, ParameterSetName = ParametersSet)]
        [Parameter(Position = 0, ValueFromPipelineByPropertyName = true, ParameterSetName = CliInputJsonSet)]
        [AllowEmptyString]
        [ArgumentCompleter(typeof(KeyIdCompleter))]
        public string KeyId { get; set; }

        [Parameter(Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true, ParameterSetName = ParametersSet)]
        [Parameter(Position = 1, ValueFromPipelineByPropertyName = true, ParameterSetName = CliInputJsonSet)]
        [Alias("TagKeys")]
        public string[] TagKey { get; set; }

        /// <summary>Writes the key as it is after the change (KMS returns nothing for this operation).</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        protected override void ProcessRecord()
        {
            if (!ShouldChange(KeyId, "Remove tags " + string.Join(", ", TagKey ?? new string[0]))) return;
            Invoke("UntagResource", KeyId, () => new UntagResourceRequest { KeyId = KeyId, TagKeys = ToList(TagKey) }, r => KeyAfterChange(PassThru, KmsBackend.UntagResource(r, StopToken), r.KeyId));
        }
    }
}
