using System.Management.Automation;
using KmsTools.Infrastructure;
using KmsTools.Model;

namespace KmsTools.Commands
{
    /// <summary>GenerateDataKeyWithoutPlaintext: a symmetric data key encrypted under a KMS key, for later use (Invoke-KmsDecrypt opens it).</summary>
    [Cmdlet(VerbsCommon.New, "KmsDataKeyWithoutPlaintext", DefaultParameterSetName = ParametersSet)]
    [OutputType(typeof(GenerateDataKeyWithoutPlaintextResponse))]
    public sealed class NewKmsDataKeyWithoutPlaintextCommand : KmsCmdlet
    {
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true, ParameterSetName = ParametersSet)]
        [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true, ParameterSetName = CliInputJsonSet)]
        [AllowEmptyString]
        [ArgumentCompleter(typeof(KeyIdCompleter))]
        public string KeyId { get; set; }

        /// <summary>AES_256 (32 bytes) or AES_128 (16 bytes). Give this or -NumberOfBytes, not both.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(DataKeySpecCompleter))]
        public string KeySpec { get; set; }

        /// <summary>1 to 1024 bytes. Give this or -KeySpec, not both.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        public int? NumberOfBytes { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        public object EncryptionContext { get; set; }

        [Parameter]
        public string[] GrantTokens { get; set; }

        [Parameter]
        public SwitchParameter DryRun { get; set; }

        protected override void ProcessRecord() =>
            Invoke("GenerateDataKeyWithoutPlaintext", KeyId, () => new GenerateDataKeyWithoutPlaintextRequest
            {
                KeyId = KeyId,
                KeySpec = KeySpec,
                NumberOfBytes = NumberOfBytes,
                EncryptionContext = ToEncryptionContext(EncryptionContext),
                GrantTokens = ToList(GrantTokens),
                DryRun = ToDryRun(DryRun, MyInvocation.BoundParameters),
            }, r => KmsBackend.GenerateDataKeyWithoutPlaintext(r));
    }
}
