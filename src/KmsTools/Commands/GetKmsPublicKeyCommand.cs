using System.Management.Automation;
using KmsTools.Model;

using static KmsTools.Infrastructure.ParameterValues;

namespace KmsTools.Commands
{
    /// <summary>GetPublicKey: the public key of an asymmetric KMS key, as DER, base64 and PEM.</summary>
    [Cmdlet(VerbsCommon.Get, "KmsPublicKey", DefaultParameterSetName = ParametersSet)]
    [OutputType(typeof(GetPublicKeyResponse))]
    public sealed class GetKmsPublicKeyCommand : KmsKeyCmdlet
    {
        [Parameter]
        [Alias("GrantTokens")]
        public string[] GrantToken { get; set; }

        protected override void ProcessRecord() =>
            Invoke("GetPublicKey", KeyId, () => new GetPublicKeyRequest { KeyId = KeyId, GrantTokens = ToList(GrantToken) }, r => KmsBackend.GetPublicKey(r, StopToken));
    }
}
