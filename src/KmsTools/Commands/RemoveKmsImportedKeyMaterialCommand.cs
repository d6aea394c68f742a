using System.Management.Automation;
using KmsTools.Model;

namespace KmsTools.Commands
{
    /// <summary>DeleteImportedKeyMaterial: takes imported key material out of a key, which is unusable (PendingImport) until the same material is imported again.</summary>
    [Cmdlet(VerbsCommon.Remove, "KmsImportedKeyMaterial", DefaultParameterSetName = ParametersSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
    [OutputType(typeof(DeleteImportedKeyMaterialResponse))]
    public sealed class RemoveKmsImportedKeyMaterialCommand : KmsKeyCmdlet
    {
        [Parameter(ValueFromPipelineByPropertyName = true)]
        public string KeyMaterialId { get; set; }

        protected override void ProcessRecord()
        {
            if (!ShouldChange(KeyId, "Delete the imported key material")) return;
            Invoke("DeleteImportedKeyMaterial", KeyId, () => new DeleteImportedKeyMaterialRequest { KeyId = KeyId, KeyMaterialId = KeyMaterialId },
                r => KmsBackend.DeleteImportedKeyMaterial(r, StopToken));
        }
    }
}
