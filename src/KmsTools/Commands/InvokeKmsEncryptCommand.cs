using System.Management.Automation;
using System.Text;
using KmsTools.Infrastructure;
using KmsTools.Model;

namespace KmsTools.Commands
{
    /// <summary>Encrypt: up to 4096 bytes under a symmetric encryption KMS key.</summary>
    [Cmdlet(VerbsLifecycle.Invoke, "KmsEncrypt")]
    [OutputType(typeof(EncryptResponse))]
    public sealed class InvokeKmsEncryptCommand : KmsCmdlet
    {
        private const string BytesSet = "Bytes";
        private const string TextSet = "Text";

        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [AllowEmptyString]
        [ArgumentCompleter(typeof(KeyIdCompleter))]
        public string KeyId { get; set; }

        /// <summary>The bytes to encrypt: a byte[], a base64 string, or a file (Get-Item). A string is never read as text here.</summary>
        [Parameter(Mandatory = true, Position = 1, ParameterSetName = BytesSet, ValueFromPipelineByPropertyName = true)]
        [AllowEmptyCollection]
        [AllowEmptyString]
        public object Plaintext { get; set; }

        /// <summary>Text to encrypt, as its UTF-8 bytes.</summary>
        [Parameter(Mandatory = true, ParameterSetName = TextSet, ValueFromPipeline = true)]
        [AllowEmptyString]
        public string PlaintextString { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        public object EncryptionContext { get; set; }

        [Parameter]
        [ArgumentCompleter(typeof(EncryptionAlgorithmCompleter))]
        public string EncryptionAlgorithm { get; set; }

        [Parameter]
        public string[] GrantTokens { get; set; }

        [Parameter]
        public SwitchParameter DryRun { get; set; }

        protected override void ProcessRecord() =>
            Run("Encrypt", KeyId, () =>
            {
                byte[] plaintext = ParameterSetName == TextSet
                    ? Encoding.UTF8.GetBytes(PlaintextString ?? string.Empty)
                    : BlobArgument.ToBytes(Plaintext, "Plaintext");
                try
                {
                    return KmsBackend.Encrypt(new EncryptRequest
                    {
                        KeyId = KeyId,
                        Plaintext = plaintext,
                        EncryptionContext = ToEncryptionContext(EncryptionContext),
                        EncryptionAlgorithm = EncryptionAlgorithm,
                        GrantTokens = ToList(GrantTokens),
                        DryRun = ToDryRun(DryRun, MyInvocation.BoundParameters),
                    });
                }
                finally
                {
                    // Our own copy of text is ours to wipe; a caller's byte[] is theirs.
                    if (ParameterSetName == TextSet) Crypto.SecureBytes.Clear(plaintext);
                }
            });
    }
}
