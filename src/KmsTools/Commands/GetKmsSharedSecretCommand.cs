using System.Management.Automation;
using KmsTools.Crypto;
using KmsTools.Infrastructure;
using KmsTools.Model;

using static KmsTools.Infrastructure.ParameterValues;

namespace KmsTools.Commands
{
    /// <summary>
    /// DeriveSharedSecret: the ECDH shared secret of a KEY_AGREEMENT KMS key and a peer's public key, equal to what
    /// the peer derives with its private key and the KMS key's public key (Get-KmsPublicKey).
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "KmsSharedSecret", DefaultParameterSetName = ParametersSet)]
    [OutputType(typeof(DeriveSharedSecretResponse))]
    public sealed class GetKmsSharedSecretCommand : KmsCmdlet
    {
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true, ParameterSetName = ParametersSet)]
        [Parameter(Position = 0, ValueFromPipelineByPropertyName = true, ParameterSetName = CliInputJsonSet)]
        [AllowEmptyString]
        [ArgumentCompleter(typeof(KeyIdCompleter))]
        public string KeyId { get; set; }

        /// <summary>The peer's public key: DER SubjectPublicKeyInfo as a byte[] or file, its base64, or its PEM text.</summary>
        [Parameter(Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true, ParameterSetName = ParametersSet)]
        [Parameter(ValueFromPipelineByPropertyName = true, ParameterSetName = CliInputJsonSet)]
        [AllowEmptyCollection]
        public object PublicKey { get; set; }

        /// <summary>ECDH, the one key agreement algorithm KMS has (the default here; the CLI requires it).</summary>
        [Parameter]
        [ArgumentCompleter(typeof(KeyAgreementAlgorithmCompleter))]
        public string KeyAgreementAlgorithm { get; set; }

        [Parameter]
        [Alias("GrantTokens")]
        public string[] GrantToken { get; set; }

        [Parameter]
        public SwitchParameter DryRun { get; set; }

        protected override void ProcessRecord() =>
            Invoke("DeriveSharedSecret", KeyId, () => new DeriveSharedSecretRequest
            {
                KeyId = KeyId,
                PublicKey = PeerKey(PublicKey),
                KeyAgreementAlgorithm = KeyAgreementAlgorithm ?? (MyInvocation.BoundParameters.ContainsKey(nameof(CliInputJson)) ? null : KeyAgreementAlgorithmSpec.ECDH),
                GrantTokens = ToList(GrantToken),
                DryRun = ToDryRun(DryRun, MyInvocation.BoundParameters),
            }, r => KmsBackend.DeriveSharedSecret(r, StopToken));

        /// <summary>A PEM public key is taken as text; anything else as a blob (byte[], file, base64).</summary>
        private static byte[] PeerKey(object value)
        {
            object raw = value is PSObject wrapped ? wrapped.BaseObject : value;
            if (raw is string text && text.Contains("-----BEGIN"))
                return Pem.Decode(Pem.PublicKeyLabel, text) ?? throw new KmsException(KmsErrorCodes.Validation,
                    "PublicKey: the PEM text holds no valid -----BEGIN PUBLIC KEY----- block (a DER SubjectPublicKeyInfo).", "PublicKey");
            return BlobArgument.ToBytes(value, "PublicKey");
        }
    }
}
