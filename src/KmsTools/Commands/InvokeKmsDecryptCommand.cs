using System.Management.Automation;
using KmsTools.Infrastructure;
using KmsTools.Model;

using static KmsTools.Infrastructure.ParameterValues;

namespace KmsTools.Commands
{
    /// <summary>Decrypt: the plaintext of a ciphertext blob made by Encrypt, GenerateDataKey* or GenerateDataKeyPair*.</summary>
    [Cmdlet(VerbsLifecycle.Invoke, "KmsDecrypt", DefaultParameterSetName = ParametersSet)]
    [OutputType(typeof(DecryptResponse))]
    public sealed class InvokeKmsDecryptCommand : KmsCmdlet
    {
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true, ParameterSetName = ParametersSet)]
        [Parameter(Position = 0, ValueFromPipelineByPropertyName = true, ParameterSetName = CliInputJsonSet)]
        [Alias("PrivateKeyCiphertextBlob")]
        [AllowEmptyCollection]
        [AllowEmptyString]
        public object CiphertextBlob { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        public object EncryptionContext { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(KeyIdCompleter))]
        public string KeyId { get; set; }

        [Parameter]
        [ArgumentCompleter(typeof(EncryptionAlgorithmCompleter))]
        public string EncryptionAlgorithm { get; set; }

        [Parameter]
        [Alias("GrantTokens")]
        public string[] GrantToken { get; set; }

        [Parameter]
        public SwitchParameter DryRun { get; set; }

        protected override void ProcessRecord()
        {
            Invoke("Decrypt", CiphertextBlob, () => new DecryptRequest
            {
                CiphertextBlob = BlobArgument.ToBytes(CiphertextBlob, "CiphertextBlob"),
                EncryptionContext = ToEncryptionContext(EncryptionContext),
                KeyId = KeyId,
                EncryptionAlgorithm = EncryptionAlgorithm,
                GrantTokens = ToList(GrantToken),
                DryRun = ToDryRun(DryRun, MyInvocation.BoundParameters),
            }, r => KmsBackend.Decrypt(r, StopToken));
        }
    }
}
