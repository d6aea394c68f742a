using System.Management.Automation;
using KmsTools.Infrastructure;
using KmsTools.Model;

namespace KmsTools.Commands
{
    /// <summary>DescribeKey for one key; every key of the region (ListKeys, all pages, then DescribeKey) when no KeyId is given.</summary>
    [Cmdlet(VerbsCommon.Get, "KmsKey")]
    [OutputType(typeof(KeyMetadata))]
    public sealed class GetKmsKeyCommand : KmsCmdlet
    {
        [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [AllowEmptyString]
        [ArgumentCompleter(typeof(KeyIdCompleter))]
        public string KeyId { get; set; }

        [Parameter]
        public string[] GrantTokens { get; set; }

        protected override void ProcessRecord()
        {
            if (MyInvocation.BoundParameters.ContainsKey(nameof(KeyId)))
            {
                Run("DescribeKey", KeyId, () => Backend.DescribeKey(new DescribeKeyRequest { KeyId = KeyId, GrantTokens = ToList(GrantTokens) }).KeyMetadata);
                return;
            }
            string marker = null;
            do
            {
                ListKeysResponse page = null;
                Run("ListKeys", null, () => { page = Backend.ListKeys(new ListKeysRequest { Marker = marker }); return null; });
                if (page == null) return;
                foreach (KeyListEntry entry in page.Keys)
                    Run("DescribeKey", entry.KeyId, () => Backend.DescribeKey(new DescribeKeyRequest { KeyId = entry.KeyId }).KeyMetadata);
                marker = page.Truncated ? page.NextMarker : null;
            }
            while (marker != null);
        }
    }
}
