using System.Management.Automation;
using KmsTools.Infrastructure;
using KmsTools.Model;

using static KmsTools.Infrastructure.ParameterValues;

namespace KmsTools.Commands
{
    /// <summary>RevokeGrant: deletes a grant of a key, by the key and the grant id (Get-KmsGrant output pipes in).</summary>
    [Cmdlet(VerbsSecurity.Revoke, "KmsGrant", DefaultParameterSetName = ParametersSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
    [OutputType(typeof(RevokeGrantResponse))]
    public sealed class RevokeKmsGrantCommand : KmsCmdlet
    {
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true, ParameterSetName = ParametersSet)]
        [Parameter(Position = 0, ValueFromPipelineByPropertyName = true, ParameterSetName = CliInputJsonSet)]
        [AllowEmptyString]
        [ArgumentCompleter(typeof(KeyIdCompleter))]
        public string KeyId { get; set; }

        [Parameter(Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true, ParameterSetName = ParametersSet)]
        [Parameter(Position = 1, ValueFromPipelineByPropertyName = true, ParameterSetName = CliInputJsonSet)]
        [AllowEmptyString]
        [ArgumentCompleter(typeof(GrantIdCompleter))]
        public string GrantId { get; set; }

        [Parameter]
        public SwitchParameter DryRun { get; set; }

        protected override void ProcessRecord()
        {
            if (!ShouldChange(KeyId, $"Revoke grant {GrantId}")) return;
            Invoke("RevokeGrant", GrantId, () => new RevokeGrantRequest { KeyId = KeyId, GrantId = GrantId, DryRun = ToDryRun(DryRun, MyInvocation.BoundParameters) },
                r => KmsBackend.RevokeGrant(r, StopToken));
        }
    }
}
