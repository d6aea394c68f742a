using System.Management.Automation;
using KmsTools.Infrastructure;
using KmsTools.Model;

namespace KmsTools.Commands
{
    /// <summary>EnableKey: lets a disabled KMS key be used in cryptographic operations again.</summary>
    [Cmdlet(VerbsLifecycle.Enable, "KmsKey", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
    public sealed class EnableKmsKeyCommand : KmsCmdlet
    {
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [AllowEmptyString]
        [ArgumentCompleter(typeof(KeyIdCompleter))]
        public string KeyId { get; set; }

        protected override void ProcessRecord()
        {
            if (!ShouldProcess(KeyId, "Enable KMS key")) return;
            Run("EnableKey", KeyId, () => { KmsBackend.EnableKey(new EnableKeyRequest { KeyId = KeyId }); return null; });
        }
    }
}
