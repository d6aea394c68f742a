using System.Management.Automation;
using KmsTools.Infrastructure;
using KmsTools.Model;

namespace KmsTools.Commands
{
    /// <summary>UntagResource: removes tags from a key by their keys.</summary>
    [Cmdlet(VerbsCommon.Remove, "KmsResourceTag", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    public sealed class RemoveKmsResourceTagCommand : KmsCmdlet
    {
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [AllowEmptyString]
        [ArgumentCompleter(typeof(KeyIdCompleter))]
        public string KeyId { get; set; }

        [Parameter(Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true)]
        [Alias("TagKey")]
        public string[] TagKeys { get; set; }

        protected override void ProcessRecord()
        {
            if (!ShouldProcess(KeyId, "Remove tags " + string.Join(", ", TagKeys))) return;
            Run("UntagResource", KeyId, () => { KmsBackend.UntagResource(new UntagResourceRequest { KeyId = KeyId, TagKeys = ToList(TagKeys) }); return null; });
        }
    }
}
