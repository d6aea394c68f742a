using System.Management.Automation;
using KmsTools.Model;

namespace KmsTools.Commands
{
    /// <summary>EnableKey: lets a disabled KMS key be used in cryptographic operations again.</summary>
    [Cmdlet(VerbsLifecycle.Enable, "KmsKey", DefaultParameterSetName = ParametersSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
    public sealed class EnableKmsKeyCommand : KmsKeyCmdlet
    {
        protected override void ProcessRecord()
        {
            if (!ShouldChange(KeyId, "Enable KMS key")) return;
            Invoke("EnableKey", KeyId, () => new EnableKeyRequest { KeyId = KeyId }, r => KmsBackend.EnableKey(r, StopToken));
        }
    }
}
