using System.Management.Automation;
using KmsTools.Infrastructure;
using KmsTools.Model;

namespace KmsTools.Commands
{
    /// <summary>ListResourceTags: the tags of a key (all pages), in the order they were added.</summary>
    [Cmdlet(VerbsCommon.Get, "KmsResourceTag")]
    [OutputType(typeof(Tag))]
    public sealed class GetKmsResourceTagCommand : KmsCmdlet
    {
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [AllowEmptyString]
        [ArgumentCompleter(typeof(KeyIdCompleter))]
        public string KeyId { get; set; }

        protected override void ProcessRecord() =>
            RunPaged("ListResourceTags", KeyId,
                marker => KmsBackend.ListResourceTags(new ListResourceTagsRequest { KeyId = KeyId, Marker = marker }),
                page => (page.Tags, page.Truncated ? page.NextMarker : null));
    }
}
