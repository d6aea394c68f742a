using System.Management.Automation;
using KmsTools.Infrastructure;
using KmsTools.Model;

namespace KmsTools.Commands
{
    /// <summary>GenerateDataKeyPair: as New-KmsDataKeyPairWithoutPlaintext, plus the private key in plaintext (PKCS#8) for immediate use.</summary>
    [Cmdlet(VerbsCommon.New, "KmsDataKeyPair", DefaultParameterSetName = ParametersSet)]
    [OutputType(typeof(GenerateDataKeyPairResponse))]
    public sealed class NewKmsDataKeyPairCommand : KmsCmdlet
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

        protected override void ProcessRecord() =>
            InvokeOrAhead("GenerateDataKeyPair", KeyId, () => new GenerateDataKeyPairRequest
            {
                KeyId = KeyId,
                KeyPairSpec = KeyPairSpec,
                EncryptionContext = ToEncryptionContext(EncryptionContext),
                GrantTokens = ToList(GrantTokens),
                DryRun = ToDryRun(DryRun, MyInvocation.BoundParameters),
            }, r => KmsBackend.GenerateDataKeyPair(r));
    }
}
