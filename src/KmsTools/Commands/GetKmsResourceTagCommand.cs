using System.Management.Automation;
using KmsTools.Infrastructure;
using KmsTools.Model;

namespace KmsTools.Commands
{
    /// <summary>ListResourceTags: the tags of a key (all pages), in the order they were added.</summary>
    [Cmdlet(VerbsCommon.Get, "KmsResourceTag", DefaultParameterSetName = ParametersSet)]
    [OutputType(typeof(Tag))]
    public sealed class GetKmsResourceTagCommand : KmsListCmdlet
    {
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true, ParameterSetName = ParametersSet)]
        [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true, ParameterSetName = CliInputJsonSet)]
        [AllowEmptyString]
        [ArgumentCompleter(typeof(KeyIdCompleter))]
        public string KeyId { get; set; }

        protected override void ProcessRecord() =>
            RunPaged("ListResourceTags", KeyId,
                marker => new ListResourceTagsRequest { KeyId = KeyId, Marker = marker },
                r => KmsBackend.ListResourceTags(r, StopToken),
                page => (page.Tags, NextPage(page.Truncated, page.NextMarker)), singlePage: NoPaginate);
    }
}
