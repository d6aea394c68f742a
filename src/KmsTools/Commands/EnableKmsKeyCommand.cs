using System.Management.Automation;
using KmsTools.Model;

namespace KmsTools.Commands
{
    /// <summary>EnableKey: lets a disabled KMS key be used in cryptographic operations again.</summary>
    [Cmdlet(VerbsLifecycle.Enable, "KmsKey", DefaultParameterSetName = ParametersSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
    [OutputType(typeof(KeyMetadata))]
    public sealed class EnableKmsKeyCommand : KmsKeyCmdlet
    {
        /// <summary>Writes the key as it is after the change (KMS returns nothing for this operation).</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        protected override void ProcessRecord()
        {
            if (!ShouldChange(KeyId, "Enable KMS key")) return;
            Invoke("EnableKey", KeyId, () => new EnableKeyRequest { KeyId = KeyId }, r => KeyAfterChange(PassThru, KmsBackend.EnableKey(r, StopToken), r.KeyId));
        }
    }
}
