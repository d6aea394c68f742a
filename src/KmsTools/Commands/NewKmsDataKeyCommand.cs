using System.Management.Automation;
using KmsTools.Model;

using static KmsTools.Infrastructure.ParameterValues;

namespace KmsTools.Commands
{
    /// <summary>GenerateDataKey: a symmetric data key, in plaintext for immediate use and encrypted under a KMS key for storage.</summary>
    [Cmdlet(VerbsCommon.New, "KmsDataKey", DefaultParameterSetName = ParametersSet)]
    [OutputType(typeof(GenerateDataKeyResponse))]
    public sealed class NewKmsDataKeyCommand : KmsDataKeyCmdlet
    {
        protected override void ProcessRecord() =>
            Invoke("GenerateDataKey", KeyId, () => new GenerateDataKeyRequest
            {
                KeyId = KeyId,
                KeySpec = KeySpec,
                NumberOfBytes = NumberOfBytes,
                EncryptionContext = ToEncryptionContext(EncryptionContext),
                GrantTokens = ToList(GrantToken),
                DryRun = ToDryRun(DryRun, MyInvocation.BoundParameters),
            }, r => KmsBackend.GenerateDataKey(r, StopToken));
    }
}
