using System.Management.Automation;
using KmsTools.Model;

namespace KmsTools.Commands
{
    /// <summary>CancelKeyDeletion: a key pending deletion goes back to Disabled (as in KMS); Enable-KmsKey makes it usable.</summary>
    [Cmdlet(VerbsLifecycle.Stop, "KmsKeyDeletion", DefaultParameterSetName = ParametersSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
    [OutputType(typeof(CancelKeyDeletionResponse))]
    public sealed class StopKmsKeyDeletionCommand : KmsKeyCmdlet
    {
        protected override void ProcessRecord()
        {
            if (!ShouldChange(KeyId, "Cancel scheduled deletion")) return;
            Invoke("CancelKeyDeletion", KeyId, () => new CancelKeyDeletionRequest { KeyId = KeyId }, r => KmsBackend.CancelKeyDeletion(r, StopToken));
        }
    }
}
