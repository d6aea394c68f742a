using System.Management.Automation;
using KmsTools.Infrastructure;
using KmsTools.Model;

namespace KmsTools.Commands
{
    /// <summary>DisableKeyRotation: stops automatic rotation of a symmetric encryption KMS key.</summary>
    [Cmdlet(VerbsLifecycle.Disable, "KmsKeyRotation", DefaultParameterSetName = ParametersSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    public sealed class DisableKmsKeyRotationCommand : KmsCmdlet
    {
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true, ParameterSetName = ParametersSet)]
        [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true, ParameterSetName = CliInputJsonSet)]
        [AllowEmptyString]
        [ArgumentCompleter(typeof(KeyIdCompleter))]
        public string KeyId { get; set; }

        protected override void ProcessRecord()
        {
            if (!ShouldChange(KeyId, "Disable automatic rotation")) return;
            Invoke("DisableKeyRotation", KeyId, () => new DisableKeyRotationRequest { KeyId = KeyId }, r => { KmsBackend.DisableKeyRotation(r); return (object)null; });
        }
    }
}
