using System.Management.Automation;
using KmsTools.Infrastructure;
using KmsTools.Model;

namespace KmsTools.Commands
{
    /// <summary>GenerateDataKeyPairWithoutPlaintext: a fresh key pair, the public key in the clear and the private key encrypted under a symmetric KMS key.</summary>
    [Cmdlet(VerbsCommon.New, "KmsDataKeyPairWithoutPlaintext", DefaultParameterSetName = ParametersSet)]
    [OutputType(typeof(GenerateDataKeyPairWithoutPlaintextResponse))]
    public sealed class NewKmsDataKeyPairWithoutPlaintextCommand : KmsCmdlet
    {
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true, ParameterSetName = ParametersSet)]
        [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true, ParameterSetName = CliInputJsonSet)]
        [AllowEmptyString]
        [ArgumentCompleter(typeof(KeyIdCompleter))]
        public string KeyId { get; set; }

        [Parameter(Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true, ParameterSetName = ParametersSet)]
        [Parameter(Position = 1, ValueFromPipelineByPropertyName = true, ParameterSetName = CliInputJsonSet)]
        [AllowEmptyString]
        [ArgumentCompleter(typeof(DataKeyPairSpecCompleter))]
        public string KeyPairSpec { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        public object EncryptionContext { get; set; }

        [Parameter]
        public string[] GrantTokens { get; set; }

        [Parameter]
        public SwitchParameter DryRun { get; set; }

        protected override void ProcessRecord()
        {
            InvokeOrAhead("GenerateDataKeyPairWithoutPlaintext", KeyId, () => new GenerateDataKeyPairWithoutPlaintextRequest
                {
                    KeyId = KeyId,
                    KeyPairSpec = KeyPairSpec,
                    EncryptionContext = ToEncryptionContext(EncryptionContext),
                    GrantTokens = ToList(GrantTokens),
                    DryRun = ToDryRun(DryRun, MyInvocation.BoundParameters),
                }, r => KmsBackend.GenerateDataKeyPairWithoutPlaintext(r));
        }
    }
}
