using System.Collections;
using System.Management.Automation;
using KmsTools.Model;

using static KmsTools.Infrastructure.ParameterValues;

namespace KmsTools.Commands
{
    /// <summary>TagResource: adds tags to a key, or replaces the values of tags it has.</summary>
    [Cmdlet(VerbsCommon.Add, "KmsResourceTag", DefaultParameterSetName = ParametersSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
    [OutputType(typeof(KeyMetadata))]
    public sealed class AddKmsResourceTagCommand : KmsKeyCmdlet
    {
        /// <summary>Tags as a hashtable: @{ team = 'ops'; env = 'prod' }.</summary>
        [Parameter(Mandatory = true, Position = 1, ParameterSetName = ParametersSet)]
        [Parameter(Position = 1, ParameterSetName = CliInputJsonSet)]
        [Alias("Tags")]
        public IDictionary Tag { get; set; }

        /// <summary>Writes the key as it is after the change (KMS returns nothing for this operation).</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        protected override void ProcessRecord()
        {
            if (!ShouldChange(KeyId, "Tag key with " + string.Join(", ", (ToTags(Tag) ?? new System.Collections.Generic.List<Tag>()).ConvertAll(t => $"{t.TagKey}={t.TagValue}")))) return;
            Invoke("TagResource", KeyId, () => new TagResourceRequest { KeyId = KeyId, Tags = ToTags(Tag) }, r => KeyAfterChange(PassThru, KmsBackend.TagResource(r, StopToken), r.KeyId));
        }
    }
}
