using System.Management.Automation;
using KmsTools.Model;

using static KmsTools.Infrastructure.ParameterValues;

namespace KmsTools.Commands
{
    /// <summary>GenerateDataKeyPair: as New-KmsDataKeyPairWithoutPlaintext, plus the private key in plaintext (PKCS#8) for immediate use.</summary>
    [Cmdlet(VerbsCommon.New, "KmsDataKeyPair", DefaultParameterSetName = ParametersSet)]
    [OutputType(typeof(GenerateDataKeyPairResponse))]
    public sealed class NewKmsDataKeyPairCommand : KmsDataKeyPairCmdlet
    {
        protected override void ProcessRecord() =>
            Invoke("GenerateDataKeyPair", KeyId, () => new GenerateDataKeyPairRequest
            {
                KeyId = KeyId,
                KeyPairSpec = KeyPairSpec,
                EncryptionContext = ToEncryptionContext(EncryptionContext),
                GrantTokens = ToList(GrantToken),
                DryRun = ToDryRun(DryRun, MyInvocation.BoundParameters),
            }, r => KmsBackend.GenerateDataKeyPair(r, StopToken), aheadWhen: r => TakesSeconds(r.KeyPairSpec));
    }
}
