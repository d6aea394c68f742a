using System.Management.Automation;
using KmsTools.Infrastructure;
using KmsTools.Model;

namespace KmsTools.Commands
{
    /// <summary>UpdateAlias: points an existing alias at another key of the same key spec and usage.</summary>
    [Cmdlet(VerbsData.Update, "KmsAlias", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    public sealed class UpdateKmsAliasCommand : KmsCmdlet
    {
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [AllowEmptyString]
        public string AliasName { get; set; }

        [Parameter(Mandatory = true, Position = 1)]
        [AllowEmptyString]
        [ArgumentCompleter(typeof(KeyIdCompleter))]
        public string TargetKeyId { get; set; }

        protected override void ProcessRecord()
        {
            if (!ShouldProcess(AliasName, $"Point alias at {TargetKeyId}")) return;
            Run("UpdateAlias", AliasName, () =>
            {
                KmsBackend.UpdateAlias(new UpdateAliasRequest { AliasName = AliasName, TargetKeyId = TargetKeyId });
                return null;
            });
        }
    }
}
