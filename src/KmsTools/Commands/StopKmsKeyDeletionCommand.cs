using System.Management.Automation;
using KmsTools.Infrastructure;
using KmsTools.Model;

namespace KmsTools.Commands
{
    /// <summary>CancelKeyDeletion: a key pending deletion goes back to Disabled (as in KMS); Enable-KmsKey makes it usable.</summary>
    [Cmdlet(VerbsLifecycle.Stop, "KmsKeyDeletion", DefaultParameterSetName = ParametersSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
    [OutputType(typeof(CancelKeyDeletionResponse))]
    public sealed class StopKmsKeyDeletionCommand : KmsCmdlet
    {
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true, ParameterSetName = ParametersSet)]
        [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true, ParameterSetName = CliInputJsonSet)]
        [AllowEmptyString]
        [ArgumentCompleter(typeof(KeyIdCompleter))]
        public string KeyId { get; set; }

        protected override void ProcessRecord()
        {
            if (!ShouldChange(KeyId, "Cancel scheduled deletion")) return;
            Invoke("CancelKeyDeletion", KeyId, () => new CancelKeyDeletionRequest { KeyId = KeyId }, r => KmsBackend.CancelKeyDeletion(r));
        }
    }
}
