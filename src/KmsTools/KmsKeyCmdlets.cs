using System.Management.Automation;
using KmsTools.Infrastructure;

namespace KmsTools.Commands
{
    /// <summary>
    /// The cmdlets that act on one KMS key: -KeyId, mandatory and first, from the pipeline by value (key ids, ARNs,
    /// alias names) or by property name (Get-KmsKey output and any object with a KeyId), tab-completed from the store.
    /// </summary>
    public abstract class KmsKeyCmdlet : KmsCmdlet
    {
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true, ParameterSetName = ParametersSet)]
        [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true, ParameterSetName = CliInputJsonSet)]
        [AllowEmptyString]
        [ArgumentCompleter(typeof(KeyIdCompleter))]
        public string KeyId { get; set; }
    }

    /// <summary>
    /// The parameters New-KmsDataKey and New-KmsDataKeyWithoutPlaintext share, as GenerateDataKey and
    /// GenerateDataKeyWithoutPlaintext share their request members; each cmdlet adds only its operation.
    /// </summary>
    public abstract class KmsDataKeyCmdlet : KmsKeyCmdlet
    {
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
        [Alias("GrantTokens")]
        public string[] GrantToken { get; set; }

        [Parameter]
        public SwitchParameter DryRun { get; set; }
    }

    /// <summary>The parameters the two data key pair cmdlets share, as their operations share their request members.</summary>
    public abstract class KmsDataKeyPairCmdlet : KmsKeyCmdlet
    {
        [Parameter(Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true, ParameterSetName = ParametersSet)]
        [Parameter(Position = 1, ValueFromPipelineByPropertyName = true, ParameterSetName = CliInputJsonSet)]
        [AllowEmptyString]
        [ArgumentCompleter(typeof(DataKeyPairSpecCompleter))]
        public string KeyPairSpec { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        public object EncryptionContext { get; set; }

        [Parameter]
        [Alias("GrantTokens")]
        public string[] GrantToken { get; set; }

        [Parameter]
        public SwitchParameter DryRun { get; set; }

        /// <summary>
        /// RSA pairs take seconds each, so they are computed ahead on every core while the pipeline delivers the next
        /// items; the other specs take microseconds and run inline. Decided on the built request, so that a
        /// KeyPairSpec given in -CliInputJson counts too.
        /// </summary>
        internal static bool TakesSeconds(string keyPairSpec) =>
            keyPairSpec != null && keyPairSpec.StartsWith("RSA_", System.StringComparison.OrdinalIgnoreCase);
    }
}
