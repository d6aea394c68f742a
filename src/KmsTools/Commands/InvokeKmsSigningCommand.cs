using System.Management.Automation;
using KmsTools.Infrastructure;
using KmsTools.Model;

using static KmsTools.Infrastructure.ParameterValues;

namespace KmsTools.Commands
{
    /// <summary>Sign: a digital signature of a message (up to 4096 bytes) or of its digest, with an asymmetric SIGN_VERIFY key.</summary>
    [Cmdlet(VerbsLifecycle.Invoke, "KmsSigning")]
    [OutputType(typeof(SignResponse))]
    public sealed class InvokeKmsSigningCommand : KmsSignatureCmdlet
    {
        /// <summary>The message as text, signed as its UTF-8 bytes.</summary>
        [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = TextSet)]
        [AllowEmptyString]
        public string MessageString { get; set; }

        protected override void ProcessRecord() =>
            Invoke("Sign", KeyId, () => new SignRequest
            {
                KeyId = KeyId,
                Message = MessageBytes(MessageString),
                MessageType = MessageType,
                SigningAlgorithm = SigningAlgorithm,
                GrantTokens = ToList(GrantToken),
                DryRun = ToDryRun(DryRun, MyInvocation.BoundParameters),
            }, r => KmsBackend.Sign(r, StopToken));
    }
}
