using System.Management.Automation;
using KmsTools.Model;

namespace KmsTools.Commands
{
    /// <summary>RotateKeyOnDemand: new key material now; new blobs use it, older blobs keep decrypting.</summary>
    [Cmdlet(VerbsLifecycle.Invoke, "KmsKeyRotation", DefaultParameterSetName = ParametersSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(RotateKeyOnDemandResponse))]
    public sealed class InvokeKmsKeyRotationCommand : KmsKeyCmdlet
    {
        protected override void ProcessRecord()
        {
            if (!ShouldChange(KeyId, "Rotate key material now")) return;
            Invoke("RotateKeyOnDemand", KeyId, () => new RotateKeyOnDemandRequest { KeyId = KeyId }, r => KmsBackend.RotateKeyOnDemand(r, StopToken));
        }
    }
}
