using System.Management.Automation;
using KmsTools.Infrastructure;
using KmsTools.Model;

using static KmsTools.Infrastructure.ParameterValues;

namespace KmsTools.Commands
{
    /// <summary>
    /// Verify: checks a signature against a message (or its digest) with the KMS key that made it. A signature that
    /// does not verify is a KMSInvalidSignatureException, as in KMS: nothing returns SignatureValid = false.
    /// </summary>
    [Cmdlet(VerbsDiagnostic.Test, "KmsSignature", DefaultParameterSetName = BytesSet)]
    [OutputType(typeof(VerifyResponse))]
    public sealed class TestKmsSignatureCommand : KmsSignatureCmdlet
    {
        /// <summary>The message as text, checked as its UTF-8 bytes.</summary>
        [Parameter(Mandatory = true, ParameterSetName = TextSet)]
        [AllowEmptyString]
        public string MessageString { get; set; }

        /// <summary>The signature: a byte[], a file, or its base64 string (the SignatureBase64 of Invoke-KmsSigning's result).</summary>
        [Parameter(Mandatory = true, Position = 2, ValueFromPipelineByPropertyName = true, ParameterSetName = BytesSet)]
        [Parameter(Mandatory = true, Position = 2, ValueFromPipelineByPropertyName = true, ParameterSetName = TextSet)]
        [Parameter(ValueFromPipelineByPropertyName = true, ParameterSetName = CliInputJsonSet)]
        [AllowEmptyCollection]
        public object Signature { get; set; }

        protected override void ProcessRecord() =>
            Invoke("Verify", KeyId, () => new VerifyRequest
            {
                KeyId = KeyId,
                Message = MessageBytes(MessageString),
                MessageType = MessageType,
                Signature = BlobArgument.ToBytes(Signature, "Signature"),
                SigningAlgorithm = SigningAlgorithm,
                GrantTokens = ToList(GrantToken),
                DryRun = ToDryRun(DryRun, MyInvocation.BoundParameters),
            }, r => KmsBackend.Verify(r, StopToken));
    }
}
