using System.Management.Automation;
using KmsTools.Infrastructure;
using KmsTools.Model;

namespace KmsTools.Commands
{
    /// <summary>CancelKeyDeletion: a key pending deletion goes back to Disabled (as in KMS); Enable-KmsKey makes it usable.</summary>
    [Cmdlet(VerbsLifecycle.Stop, "KmsKeyDeletion", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
    [OutputType(typeof(CancelKeyDeletionResponse))]
    public sealed class StopKmsKeyDeletionCommand : KmsCmdlet
    {
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [AllowEmptyString]
        [ArgumentCompleter(typeof(KeyIdCompleter))]
        public string KeyId { get; set; }

        protected override void ProcessRecord()
        {
            if (!ShouldProcess(KeyId, "Cancel scheduled deletion")) return;
            Run("CancelKeyDeletion", KeyId, () => KmsBackend.CancelKeyDeletion(new CancelKeyDeletionRequest { KeyId = KeyId }));
        }
    }
}
