using System.Management.Automation;
using KmsTools.Infrastructure;
using KmsTools.Model;

namespace KmsTools.Commands
{
    /// <summary>DisableKey: stops a KMS key from being used in cryptographic operations until it is enabled.</summary>
    [Cmdlet(VerbsLifecycle.Disable, "KmsKey", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    public sealed class DisableKmsKeyCommand : KmsCmdlet
    {
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [AllowEmptyString]
        [ArgumentCompleter(typeof(KeyIdCompleter))]
        public string KeyId { get; set; }

        protected override void ProcessRecord()
        {
            if (!ShouldProcess(KeyId, "Disable KMS key")) return;
            Run("DisableKey", KeyId, () => { KmsBackend.DisableKey(new DisableKeyRequest { KeyId = KeyId }); return null; });
        }
    }
}
