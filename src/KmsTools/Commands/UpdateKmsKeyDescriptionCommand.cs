using System.Management.Automation;
using KmsTools.Infrastructure;
using KmsTools.Model;

namespace KmsTools.Commands
{
    /// <summary>UpdateKeyDescription: replaces a KMS key's description.</summary>
    [Cmdlet(VerbsData.Update, "KmsKeyDescription", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
    public sealed class UpdateKmsKeyDescriptionCommand : KmsCmdlet
    {
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [AllowEmptyString]
        [ArgumentCompleter(typeof(KeyIdCompleter))]
        public string KeyId { get; set; }

        [Parameter(Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true)]
        [AllowEmptyString]
        public string Description { get; set; }

        protected override void ProcessRecord()
        {
            if (!ShouldProcess(KeyId, $"Set description to '{Description}'")) return;
            Run("UpdateKeyDescription", KeyId, () =>
            {
                KmsBackend.UpdateKeyDescription(new UpdateKeyDescriptionRequest { KeyId = KeyId, Description = Description });
                return null;
            });
        }
    }
}
