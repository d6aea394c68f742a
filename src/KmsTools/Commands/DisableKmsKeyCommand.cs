using System.Management.Automation;
using KmsTools.Model;

namespace KmsTools.Commands
{
    /// <summary>DisableKey: stops a KMS key from being used in cryptographic operations until it is enabled.</summary>
    [Cmdlet(VerbsLifecycle.Disable, "KmsKey", DefaultParameterSetName = ParametersSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    public sealed class DisableKmsKeyCommand : KmsKeyCmdlet
    {
        protected override void ProcessRecord()
        {
            if (!ShouldChange(KeyId, "Disable KMS key")) return;
            Invoke("DisableKey", KeyId, () => new DisableKeyRequest { KeyId = KeyId }, r => KmsBackend.DisableKey(r, StopToken));
        }
    }
}
