using System.Management.Automation;
using KmsTools.Model;

namespace KmsTools.Commands
{
    /// <summary>DisableKey: stops a KMS key from being used in cryptographic operations until it is enabled.</summary>
    [Cmdlet(VerbsLifecycle.Disable, "KmsKey", DefaultParameterSetName = ParametersSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(KeyMetadata))]
    public sealed class DisableKmsKeyCommand : KmsKeyCmdlet
    {
        /// <summary>Writes the key as it is after the change (KMS returns nothing for this operation).</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        protected override void ProcessRecord()
        {
            if (!ShouldChange(KeyId, "Disable KMS key")) return;
            Invoke("DisableKey", KeyId, () => new DisableKeyRequest { KeyId = KeyId }, r => KeyAfterChange(PassThru, KmsBackend.DisableKey(r, StopToken), r.KeyId));
        }
    }
}
