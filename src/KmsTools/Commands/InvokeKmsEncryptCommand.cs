using System.Management.Automation;
using System.Text;
using KmsTools.Infrastructure;
using KmsTools.Model;

using static KmsTools.Infrastructure.ParameterValues;

namespace KmsTools.Commands
{
    /// <summary>Encrypt: up to 4096 bytes under a symmetric encryption KMS key.</summary>
    [Cmdlet(VerbsLifecycle.Invoke, "KmsEncrypt")]
    [OutputType(typeof(EncryptResponse))]
    public sealed class InvokeKmsEncryptCommand : KmsCmdlet
    {
        private const string BytesSet = "Bytes";
        private const string TextSet = "Text";

        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true, ParameterSetName = BytesSet)]
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true, ParameterSetName = TextSet)]
        [Parameter(Position = 0, ValueFromPipelineByPropertyName = true, ParameterSetName = CliInputJsonSet)]
        [AllowEmptyString]
        [ArgumentCompleter(typeof(KeyIdCompleter))]
        public string KeyId { get; set; }

        /// <summary>The bytes to encrypt: a byte[], a base64 string, or a file (Get-Item). A string is never read as text here.</summary>
        [Parameter(Mandatory = true, Position = 1, ParameterSetName = BytesSet, ValueFromPipelineByPropertyName = true)]
        [Parameter(ParameterSetName = CliInputJsonSet)]
        [AllowEmptyCollection]
        [AllowEmptyString]
        public object Plaintext { get; set; }

        /// <summary>Text to encrypt, as its UTF-8 bytes.</summary>
        [Parameter(Mandatory = true, ParameterSetName = TextSet, ValueFromPipeline = true)]
        [Parameter(ParameterSetName = CliInputJsonSet)]
        [AllowEmptyString]
        public string PlaintextString { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        public object EncryptionContext { get; set; }

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
            byte[] fromText = null;
            try
            {
                Invoke("Encrypt", KeyId, () => new EncryptRequest
                {
                    KeyId = KeyId,
                    Plaintext = PlaintextString != null
                        ? fromText = Encoding.UTF8.GetBytes(PlaintextString)
                        : BlobArgument.ToBytes(Plaintext, "Plaintext"),
                    EncryptionContext = ToEncryptionContext(EncryptionContext),
                    EncryptionAlgorithm = EncryptionAlgorithm,
                    GrantTokens = ToList(GrantToken),
                    DryRun = ToDryRun(DryRun, MyInvocation.BoundParameters),
                }, r => KmsBackend.Encrypt(r, StopToken));
            }
            finally
            {
                // Our own UTF-8 copy of the text is ours to wipe; a caller's byte[] is theirs.
                Crypto.SecureBytes.Clear(fromText);
            }
        }
    }
}
