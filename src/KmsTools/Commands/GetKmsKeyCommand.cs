using System.Management.Automation;
using KmsTools.Infrastructure;
using KmsTools.Model;

using static KmsTools.Infrastructure.ParameterValues;

namespace KmsTools.Commands
{
    /// <summary>DescribeKey for one key; without KeyId, every key of the region (ListKeys, all pages, then DescribeKey).</summary>
    [Cmdlet(VerbsCommon.Get, "KmsKey", DefaultParameterSetName = ListSet)]
    [OutputType(typeof(KeyMetadata))]
    public sealed class GetKmsKeyCommand : KmsListCmdlet
    {
        private const string ListSet = "List";
        private const string DescribeSet = "Describe";

        [Parameter(ParameterSetName = DescribeSet, Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Parameter(ParameterSetName = CliInputJsonSet, Position = 0, ValueFromPipelineByPropertyName = true)]
        [AllowEmptyString]
        [ArgumentCompleter(typeof(KeyIdCompleter))]
        public string KeyId { get; set; }

        [Parameter(ParameterSetName = DescribeSet)]
        [Parameter(ParameterSetName = CliInputJsonSet)]
        [Alias("GrantTokens")]
        public string[] GrantToken { get; set; }

        /// <summary>Keys per ListKeys page, 1 to 1000. With -Limit or -Marker only that one page is returned.</summary>
        [Parameter(ParameterSetName = ListSet)]
        [ValidateRange(1, 1000)]
        public int? Limit { get; set; }

        /// <summary>Where a page starts: the NextMarker that -Verbose reports for the previous page.</summary>
        [Parameter(ParameterSetName = ListSet)]
        public string Marker { get; set; }

        protected override void ProcessRecord()
        {
            if (ParameterSetName != ListSet)
            {
                Invoke("DescribeKey", KeyId, () => new DescribeKeyRequest { KeyId = KeyId, GrantTokens = ToList(GrantToken) }, r => KmsBackend.DescribeKey(r, StopToken), r => r.KeyMetadata);
                return;
            }
            bool singlePage = NoPaginate || Limit != null || Marker != null;
            RunPaged("ListKeys", null,
                marker => new ListKeysRequest { Limit = Limit, Marker = marker },
                r => KmsBackend.ListKeys(r, StopToken),
                page => (page.Keys, NextPage(page.Truncated, page.NextMarker)),
                Marker, singlePage,
                entry => Invoke("DescribeKey", entry.KeyId, () => new DescribeKeyRequest { KeyId = entry.KeyId }, r => KmsBackend.DescribeKey(r, StopToken), r => r.KeyMetadata));
        }
    }
}
