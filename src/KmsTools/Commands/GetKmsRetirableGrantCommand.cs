using System.Management.Automation;
using KmsTools.Model;

namespace KmsTools.Commands
{
    /// <summary>ListRetirableGrants: the grants, on every key of the account and region, that a principal may retire (all pages).</summary>
    [Cmdlet(VerbsCommon.Get, "KmsRetirableGrant", DefaultParameterSetName = ParametersSet)]
    [OutputType(typeof(GrantListEntry))]
    public sealed class GetKmsRetirableGrantCommand : KmsListCmdlet
    {
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true, ParameterSetName = ParametersSet)]
        [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true, ParameterSetName = CliInputJsonSet)]
        [AllowEmptyString]
        public string RetiringPrincipal { get; set; }

        protected override void ProcessRecord() =>
            RunPaged("ListRetirableGrants", RetiringPrincipal,
                marker => new ListRetirableGrantsRequest { RetiringPrincipal = RetiringPrincipal, Marker = marker },
                r => KmsBackend.ListRetirableGrants(r, StopToken),
                page => (page.Grants, NextPage(page.Truncated, page.NextMarker)), singlePage: NoPaginate);
    }
}
