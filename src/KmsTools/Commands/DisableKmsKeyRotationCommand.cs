using System.Management.Automation;
using KmsTools.Model;

namespace KmsTools.Commands
{
    /// <summary>DisableKeyRotation: stops automatic rotation of a symmetric encryption KMS key.</summary>
    [Cmdlet(VerbsLifecycle.Disable, "KmsKeyRotation", DefaultParameterSetName = ParametersSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    public sealed class DisableKmsKeyRotationCommand : KmsKeyCmdlet
    {
        protected override void ProcessRecord()
        {
            if (!ShouldChange(KeyId, "Disable automatic rotation")) return;
            Invoke("DisableKeyRotation", KeyId, () => new DisableKeyRotationRequest { KeyId = KeyId }, r => KmsBackend.DisableKeyRotation(r, StopToken));
        }
    }
}
