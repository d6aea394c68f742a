using System.Management.Automation;
using KmsTools.Infrastructure;
using KmsTools.Model;

namespace KmsTools.Commands
{
    /// <summary>EnableKeyRotation: new key material every RotationPeriodInDays; older blobs keep decrypting.</summary>
    [Cmdlet(VerbsLifecycle.Enable, "KmsKeyRotation", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
    public sealed class EnableKmsKeyRotationCommand : KmsCmdlet
    {
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [AllowEmptyString]
        [ArgumentCompleter(typeof(KeyIdCompleter))]
        public string KeyId { get; set; }

        /// <summary>90 to 2560 days; KMS's default is 365.</summary>
        [Parameter]
        public int RotationPeriodInDays { get; set; } = 365;

        protected override void ProcessRecord()
        {
            if (!ShouldProcess(KeyId, $"Enable automatic rotation every {RotationPeriodInDays} days")) return;
            Run("EnableKeyRotation", KeyId, () =>
            {
                KmsBackend.EnableKeyRotation(new EnableKeyRotationRequest { KeyId = KeyId, RotationPeriodInDays = RotationPeriodInDays });
                return null;
            });
        }
    }
}
