using System.Management.Automation;
using KmsTools.Infrastructure;
using KmsTools.Model;

namespace KmsTools.Commands
{
    /// <summary>ListAliases: every alias of the region, or those of one key; all pages.</summary>
    [Cmdlet(VerbsCommon.Get, "KmsAlias", DefaultParameterSetName = ParametersSet)]
    [OutputType(typeof(AliasListEntry))]
    public sealed class GetKmsAliasCommand : KmsListCmdlet
    {
        [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(KeyIdCompleter))]
        public string KeyId { get; set; }

        protected override void ProcessRecord() =>
            RunPaged("ListAliases", KeyId,
                marker => new ListAliasesRequest { KeyId = KeyId, Marker = marker },
                r => KmsBackend.ListAliases(r, StopToken),
                page => (page.Aliases, NextPage(page.Truncated, page.NextMarker)), singlePage: NoPaginate);
    }
}
