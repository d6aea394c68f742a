using System.Management.Automation;
using KmsTools.Infrastructure;
using KmsTools.Model;

namespace KmsTools.Commands
{
    /// <summary>GetParametersForImport: an RSA wrapping public key and an import token, valid 24 hours, for importing key material into a key of origin EXTERNAL.</summary>
    [Cmdlet(VerbsCommon.Get, "KmsParametersForImport", DefaultParameterSetName = ParametersSet)]
    [OutputType(typeof(GetParametersForImportResponse))]
    public sealed class GetKmsParametersForImportCommand : KmsKeyCmdlet
    {
        /// <summary>How the key material will be wrapped: RSAES_OAEP_SHA_256 or RSA_AES_KEY_WRAP_SHA_256 (needed for RSA private keys), or their SHA_1 forms.</summary>
        [Parameter(Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true, ParameterSetName = ParametersSet)]
        [Parameter(Position = 1, ValueFromPipelineByPropertyName = true, ParameterSetName = CliInputJsonSet)]
        [AllowEmptyString]
        [ArgumentCompleter(typeof(WrappingAlgorithmCompleter))]
        public string WrappingAlgorithm { get; set; }

        /// <summary>The size of the RSA wrapping key: RSA_2048, RSA_3072 or RSA_4096.</summary>
        [Parameter(Mandatory = true, Position = 2, ValueFromPipelineByPropertyName = true, ParameterSetName = ParametersSet)]
        [Parameter(Position = 2, ValueFromPipelineByPropertyName = true, ParameterSetName = CliInputJsonSet)]
        [AllowEmptyString]
        [ArgumentCompleter(typeof(WrappingKeySpecCompleter))]
        public string WrappingKeySpec { get; set; }

        protected override void ProcessRecord() =>
            Invoke("GetParametersForImport", KeyId,
                () => new GetParametersForImportRequest { KeyId = KeyId, WrappingAlgorithm = WrappingAlgorithm, WrappingKeySpec = WrappingKeySpec },
                r => KmsBackend.GetParametersForImport(r, StopToken));
    }
}
