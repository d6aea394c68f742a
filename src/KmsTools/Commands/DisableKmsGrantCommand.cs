using System.Management.Automation;
using KmsTools.Infrastructure;
using KmsTools.Model;

using static KmsTools.Infrastructure.ParameterValues;

namespace KmsTools.Commands
{
    /// <summary>RetireGrant: ends a grant when its work is done, by its grant token, or by the key and the grant id.</summary>
    [Cmdlet(VerbsLifecycle.Disable, "KmsGrant", DefaultParameterSetName = ParametersSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(RetireGrantResponse))]
    public sealed class DisableKmsGrantCommand : KmsCmdlet
    {
        /// <summary>The GrantToken that CreateGrant returned (New-KmsGrant output pipes in).</summary>
        [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
        public string GrantToken { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(KeyIdCompleter))]
        public string KeyId { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(GrantIdCompleter))]
        public string GrantId { get; set; }

        [Parameter]
        public SwitchParameter DryRun { get; set; }

        protected override void ProcessRecord()
        {
            if (!ShouldChange(GrantId ?? "the grant of the token", "Retire grant")) return;
            Invoke("RetireGrant", GrantId ?? KeyId, () => new RetireGrantRequest
            {
                GrantToken = GrantToken,
                KeyId = KeyId,
                GrantId = GrantId,
                DryRun = ToDryRun(DryRun, MyInvocation.BoundParameters),
            }, r => KmsBackend.RetireGrant(r, StopToken));
        }
    }
}
