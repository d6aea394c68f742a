using System.Management.Automation;
using KmsTools.Infrastructure;
using KmsTools.Model;

namespace KmsTools.Commands
{
    /// <summary>DisableKeyRotation: stops automatic rotation of a symmetric encryption KMS key.</summary>
    [Cmdlet(VerbsLifecycle.Disable, "KmsKeyRotation", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    public sealed class DisableKmsKeyRotationCommand : KmsCmdlet
    {
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [AllowEmptyString]
        [ArgumentCompleter(typeof(KeyIdCompleter))]
        public string KeyId { get; set; }

        protected override void ProcessRecord()
        {
            if (!ShouldProcess(KeyId, "Disable automatic rotation")) return;
            Run("DisableKeyRotation", KeyId, () => { KmsBackend.DisableKeyRotation(new DisableKeyRotationRequest { KeyId = KeyId }); return null; });
        }
    }
}
