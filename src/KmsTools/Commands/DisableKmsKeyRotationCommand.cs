using System.Management.Automation;
using KmsTools.Model;

namespace KmsTools.Commands
{
    /// <summary>DisableKeyRotation: stops automatic rotation of a symmetric encryption KMS key.</summary>
    [Cmdlet(VerbsLifecycle.Disable, "KmsKeyRotation", DefaultParameterSetName = ParametersSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(KeyMetadata))]
    public sealed class DisableKmsKeyRotationCommand : KmsKeyCmdlet
    {
        /// <summary>Writes the key as it is after the change (KMS returns nothing for this operation).</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        protected override void ProcessRecord()
        {
            if (!ShouldChange(KeyId, "Disable automatic rotation")) return;
            Invoke("DisableKeyRotation", KeyId, () => new DisableKeyRotationRequest { KeyId = KeyId }, r => KeyAfterChange(PassThru, KmsBackend.DisableKeyRotation(r, StopToken), r.KeyId));
        }
    }
}
