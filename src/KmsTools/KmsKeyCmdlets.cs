using System.Management.Automation;
using System.Text;
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

    /// <summary>
    /// The parameters the cmdlets of a message share (New-KmsMac, Test-KmsMac, Invoke-KmsSigning, Test-KmsSignature), as
    /// their operations share KeyId, Message, GrantTokens and DryRun. Each declares its own -MessageString: the two that
    /// make something take it from the pipeline; the two that check something bind a piped result by property name.
    /// </summary>
    public abstract class KmsMessageCmdlet : KmsCmdlet
    {
        internal const string BytesSet = "Bytes";
        internal const string TextSet = "Text";

        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true, ParameterSetName = BytesSet)]
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true, ParameterSetName = TextSet)]
        [Parameter(Position = 0, ValueFromPipelineByPropertyName = true, ParameterSetName = CliInputJsonSet)]
        [AllowEmptyString]
        [ArgumentCompleter(typeof(KeyIdCompleter))]
        public string KeyId { get; set; }

        /// <summary>The message: a byte[], a file (Get-Item) or an array of byte values; a string is refused (see -MessageString).</summary>
        [Parameter(Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true, ParameterSetName = BytesSet)]
        [Parameter(ParameterSetName = CliInputJsonSet)]
        [AllowEmptyCollection]
        public object Message { get; set; }

        [Parameter]
        [Alias("GrantTokens")]
        public string[] GrantToken { get; set; }

        [Parameter]
        public SwitchParameter DryRun { get; set; }

        /// <summary>The message's bytes: the text of -MessageString as UTF-8, else -Message as a blob.</summary>
        internal byte[] MessageBytes(string messageString) =>
            messageString != null ? Encoding.UTF8.GetBytes(messageString) : BlobArgument.ToBytes(Message, "Message");
    }

    /// <summary>The parameters Invoke-KmsSigning and Test-KmsSignature share beyond the message's: how it is signed.</summary>
    public abstract class KmsSignatureCmdlet : KmsMessageCmdlet
    {
        /// <summary>RAW (the default: the message itself), DIGEST (its hash) or EXTERNAL_MU (ML-DSA).</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(MessageTypeCompleter))]
        public string MessageType { get; set; }

        [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true, ParameterSetName = BytesSet)]
        [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true, ParameterSetName = TextSet)]
        [Parameter(ValueFromPipelineByPropertyName = true, ParameterSetName = CliInputJsonSet)]
        [ArgumentCompleter(typeof(SigningAlgorithmCompleter))]
        public string SigningAlgorithm { get; set; }
    }

    /// <summary>The parameter New-KmsMac and Test-KmsMac share beyond the message's: the MAC algorithm.</summary>
    public abstract class KmsMacCmdlet : KmsMessageCmdlet
    {
        [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true, ParameterSetName = BytesSet)]
        [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true, ParameterSetName = TextSet)]
        [Parameter(ValueFromPipelineByPropertyName = true, ParameterSetName = CliInputJsonSet)]
        [ArgumentCompleter(typeof(MacAlgorithmCompleter))]
        public string MacAlgorithm { get; set; }
    }
}
