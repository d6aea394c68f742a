using System.Linq;
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

        /// <summary>Only the aliases whose name matches: wildcards as Get-ChildItem takes them; "alias/" may be left out.</summary>
        [Parameter]
        [SupportsWildcards]
        [ArgumentCompleter(typeof(AliasNameCompleter))]
        public string AliasName { get; set; }

        protected override void ProcessRecord()
        {
            WildcardPattern names = null;
            if (!string.IsNullOrEmpty(AliasName))
            {
                string pattern = AliasName.StartsWith("alias/", System.StringComparison.OrdinalIgnoreCase) ? AliasName : "alias/" + AliasName;
                names = new WildcardPattern(pattern, WildcardOptions.IgnoreCase | WildcardOptions.CultureInvariant);
            }
            RunPaged("ListAliases", KeyId,
                marker => new ListAliasesRequest { KeyId = KeyId, Marker = marker },
                r => KmsBackend.ListAliases(r, StopToken),
                page =>
                {
                    // Filtered in the page itself, so that -Output and -Query see the same aliases as the objects.
                    if (names != null) page.Aliases = page.Aliases.Where(a => names.IsMatch(a.AliasName)).ToList();
                    return (page.Aliases, NextPage(page.Truncated, page.NextMarker));
                }, singlePage: NoPaginate);
        }
    }
}
