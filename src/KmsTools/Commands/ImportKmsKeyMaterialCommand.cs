using System;
using System.Management.Automation;
using KmsTools.Infrastructure;
using KmsTools.Model;

namespace KmsTools.Commands
{
    /// <summary>ImportKeyMaterial: imports key material, wrapped with the public key of Get-KmsParametersForImport, into a key of origin EXTERNAL.</summary>
    [Cmdlet(VerbsData.Import, "KmsKeyMaterial", DefaultParameterSetName = ParametersSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(ImportKeyMaterialResponse))]
    public sealed class ImportKmsKeyMaterialCommand : KmsKeyCmdlet
    {
        /// <summary>The ImportToken of the Get-KmsParametersForImport result whose public key wrapped the material: bytes, base64 or a file.</summary>
        [Parameter(Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true, ParameterSetName = ParametersSet)]
        [Parameter(Position = 1, ValueFromPipelineByPropertyName = true, ParameterSetName = CliInputJsonSet)]
        public object ImportToken { get; set; }

        /// <summary>The wrapped key material: bytes, base64 or a file (what openssl pkeyutl -encrypt wrote).</summary>
        [Parameter(Mandatory = true, Position = 2, ValueFromPipelineByPropertyName = true, ParameterSetName = ParametersSet)]
        [Parameter(Position = 2, ValueFromPipelineByPropertyName = true, ParameterSetName = CliInputJsonSet)]
        public object EncryptedKeyMaterial { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        public DateTime? ValidTo { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(ExpirationModelCompleter))]
        public string ExpirationModel { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(ImportTypeCompleter))]
        public string ImportType { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        public string KeyMaterialId { get; set; }

        protected override void ProcessRecord()
        {
            if (!ShouldChange(KeyId, "Import key material")) return;
            Invoke("ImportKeyMaterial", KeyId, () => new ImportKeyMaterialRequest
            {
                KeyId = KeyId,
                ImportToken = ImportToken == null ? null : BlobArgument.ToBytes(ImportToken, "ImportToken"),
                EncryptedKeyMaterial = EncryptedKeyMaterial == null ? null : BlobArgument.ToBytes(EncryptedKeyMaterial, "EncryptedKeyMaterial"),
                ValidTo = ValidTo?.ToUniversalTime(),
                ExpirationModel = ExpirationModel,
                ImportType = ImportType,
                KeyMaterialId = KeyMaterialId,
            }, r => KmsBackend.ImportKeyMaterial(r, StopToken));
        }
    }
}
