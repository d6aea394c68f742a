using System.Management.Automation;
using KmsTools.Model;

namespace KmsTools.Commands
{
    /// <summary>ListResourceTags: the tags of a key (all pages), in the order they were added.</summary>
    [Cmdlet(VerbsCommon.Get, "KmsResourceTag", DefaultParameterSetName = ParametersSet)]
    [OutputType(typeof(Tag))]
    public sealed class GetKmsResourceTagCommand : KmsKeyListCmdlet
    {
        protected override void ProcessRecord() =>
            RunPaged("ListResourceTags", KeyId,
                marker => new ListResourceTagsRequest { KeyId = KeyId, Marker = marker },
                r => KmsBackend.ListResourceTags(r, StopToken),
                page => (page.Tags, NextPage(page.Truncated, page.NextMarker)), singlePage: NoPaginate);
    }
}
