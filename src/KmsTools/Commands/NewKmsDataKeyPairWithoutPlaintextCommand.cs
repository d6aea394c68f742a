using System.Management.Automation;
using KmsTools.Model;

using static KmsTools.Infrastructure.ParameterValues;

namespace KmsTools.Commands
{
    /// <summary>GenerateDataKeyPairWithoutPlaintext: a fresh key pair, the public key in the clear and the private key encrypted under a symmetric KMS key.</summary>
    [Cmdlet(VerbsCommon.New, "KmsDataKeyPairWithoutPlaintext", DefaultParameterSetName = ParametersSet)]
    [OutputType(typeof(GenerateDataKeyPairWithoutPlaintextResponse))]
    public sealed class NewKmsDataKeyPairWithoutPlaintextCommand : KmsDataKeyPairCmdlet
    {
        protected override void ProcessRecord()
        {
            Invoke("GenerateDataKeyPairWithoutPlaintext", KeyId, () => new GenerateDataKeyPairWithoutPlaintextRequest
                {
                    KeyId = KeyId,
                    KeyPairSpec = KeyPairSpec,
                    EncryptionContext = ToEncryptionContext(EncryptionContext),
                    GrantTokens = ToList(GrantToken),
                    DryRun = ToDryRun(DryRun, MyInvocation.BoundParameters),
                }, r => KmsBackend.GenerateDataKeyPairWithoutPlaintext(r, StopToken), aheadWhen: r => TakesSeconds(r.KeyPairSpec));
        }
    }
}
