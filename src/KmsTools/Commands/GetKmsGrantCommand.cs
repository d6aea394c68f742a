using System.Management.Automation;
using KmsTools.Infrastructure;
using KmsTools.Model;

namespace KmsTools.Commands
{
    /// <summary>ListGrants: the grants of a key (all pages), or one grant by id, or those of one grantee principal.</summary>
    [Cmdlet(VerbsCommon.Get, "KmsGrant", DefaultParameterSetName = ParametersSet)]
    [OutputType(typeof(GrantListEntry))]
    public sealed class GetKmsGrantCommand : KmsKeyListCmdlet
    {
        [Parameter(Position = 1, ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(GrantIdCompleter))]
        public string GrantId { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        public string GranteePrincipal { get; set; }

        protected override void ProcessRecord() =>
            RunPaged("ListGrants", KeyId,
                marker => new ListGrantsRequest { KeyId = KeyId, GrantId = GrantId, GranteePrincipal = GranteePrincipal, Marker = marker },
                r => KmsBackend.ListGrants(r, StopToken),
                page => (page.Grants, NextPage(page.Truncated, page.NextMarker)), singlePage: NoPaginate);
    }
}
