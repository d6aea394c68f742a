using System.Management.Automation;
using KmsTools.Infrastructure;
using KmsTools.Model;

namespace KmsTools.Commands
{
    /// <summary>EnableKeyRotation: new key material every RotationPeriodInDays; older blobs keep decrypting.</summary>
    [Cmdlet(VerbsLifecycle.Enable, "KmsKeyRotation", DefaultParameterSetName = ParametersSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
    public sealed class EnableKmsKeyRotationCommand : KmsCmdlet
    {
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true, ParameterSetName = ParametersSet)]
        [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true, ParameterSetName = CliInputJsonSet)]
        [AllowEmptyString]
        [ArgumentCompleter(typeof(KeyIdCompleter))]
        public string KeyId { get; set; }

        /// <summary>90 to 2560 days; KMS's default is 365.</summary>
        [Parameter]
        public int? RotationPeriodInDays { get; set; }

        protected override void ProcessRecord()
        {
            if (!ShouldChange(KeyId, $"Enable automatic rotation every {RotationPeriodInDays ?? 365} days")) return;
            Invoke("EnableKeyRotation", KeyId, () => new EnableKeyRotationRequest { KeyId = KeyId, RotationPeriodInDays = RotationPeriodInDays }, r => { KmsBackend.EnableKeyRotation(r); return (object)null; });
        }
    }
}
