using System.Management.Automation;
using KmsTools.Infrastructure;
using KmsTools.Model;

namespace KmsTools.Commands
{
    /// <summary>GenerateDataKey: a symmetric data key, in plaintext for immediate use and encrypted under a KMS key for storage.</summary>
    [Cmdlet(VerbsCommon.New, "KmsDataKey", DefaultParameterSetName = ParametersSet)]
    [OutputType(typeof(GenerateDataKeyResponse))]
    public sealed class NewKmsDataKeyCommand : KmsCmdlet
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
            Invoke("GenerateDataKey", KeyId, () => new GenerateDataKeyRequest
            {
                KeyId = KeyId,
                KeySpec = KeySpec,
                NumberOfBytes = NumberOfBytes,
                EncryptionContext = ToEncryptionContext(EncryptionContext),
                GrantTokens = ToList(GrantTokens),
                DryRun = ToDryRun(DryRun, MyInvocation.BoundParameters),
            }, r => KmsBackend.GenerateDataKey(r));
    }
}
