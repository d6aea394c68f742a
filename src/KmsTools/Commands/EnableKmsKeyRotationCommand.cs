using System.Management.Automation;
using KmsTools.Model;

namespace KmsTools.Commands
{
    /// <summary>EnableKeyRotation: new key material every RotationPeriodInDays; older blobs keep decrypting.</summary>
    [Cmdlet(VerbsLifecycle.Enable, "KmsKeyRotation", DefaultParameterSetName = ParametersSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
    [OutputType(typeof(KeyMetadata))]
    public sealed class EnableKmsKeyRotationCommand : KmsKeyCmdlet
    {
        /// <summary>90 to 2560 days; KMS's default is 365.</summary>
        [Parameter]
        public int? RotationPeriodInDays { get; set; }

        /// <summary>Writes the key as it is after the change (KMS returns nothing for this operation).</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        protected override void ProcessRecord()
        {
            if (!ShouldChange(KeyId, $"Enable automatic rotation every {RotationPeriodInDays ?? 365} days")) return;
            Invoke("EnableKeyRotation", KeyId, () => new EnableKeyRotationRequest { KeyId = KeyId, RotationPeriodInDays = RotationPeriodInDays }, r => KeyAfterChange(PassThru, KmsBackend.EnableKeyRotation(r, StopToken), r.KeyId));
        }
    }
}
