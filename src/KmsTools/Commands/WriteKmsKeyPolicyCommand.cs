using System.Management.Automation;
using KmsTools.Infrastructure;
using KmsTools.Model;

using static KmsTools.Infrastructure.ParameterValues;

namespace KmsTools.Commands
{
    /// <summary>PutKeyPolicy: replaces the key policy of a key with a JSON document (text, or file://path as the aws CLI takes it).</summary>
    [Cmdlet(VerbsCommunications.Write, "KmsKeyPolicy", DefaultParameterSetName = ParametersSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(string))]
    public sealed class WriteKmsKeyPolicyCommand : KmsKeyCmdlet
    {
        /// <summary>The policy document: JSON text, or file://path to a file of it.</summary>
        [Parameter(Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true, ParameterSetName = ParametersSet)]
        [Parameter(Position = 1, ValueFromPipelineByPropertyName = true, ParameterSetName = CliInputJsonSet)]
        [AllowEmptyString]
        public string Policy { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(PolicyNameCompleter))]
        public string PolicyName { get; set; }

        [Parameter]
        public SwitchParameter BypassPolicyLockoutSafetyCheck { get; set; }

        /// <summary>Writes the key policy as it is after the change (KMS returns nothing for this operation).</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        protected override void ProcessRecord()
        {
            if (!ShouldChange(KeyId, "Replace the key policy")) return;
            Invoke("PutKeyPolicy", KeyId, () => new PutKeyPolicyRequest
            {
                KeyId = KeyId,
                Policy = InputFiles.DocumentOrFile(this, Policy, "policy", "Policy"),
                PolicyName = PolicyName,
                BypassPolicyLockoutSafetyCheck = ToSwitch(BypassPolicyLockoutSafetyCheck, MyInvocation.BoundParameters, nameof(BypassPolicyLockoutSafetyCheck)),
            }, r =>
            {
                r.PolicyName = r.PolicyName ?? "default"; // as Get-KmsKeyPolicy says it, for endpoints of the older API
                PutKeyPolicyResponse response = KmsBackend.PutKeyPolicy(r, StopToken);
                return PassThru ? (object)KmsBackend.GetKeyPolicy(new GetKeyPolicyRequest { KeyId = r.KeyId, PolicyName = r.PolicyName }, StopToken).Policy : response;
            });
        }
    }
}
