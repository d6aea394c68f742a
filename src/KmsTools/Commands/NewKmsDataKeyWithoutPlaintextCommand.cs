using System.Management.Automation;
using KmsTools.Model;

using static KmsTools.Infrastructure.ParameterValues;

namespace KmsTools.Commands
{
    /// <summary>GenerateDataKeyWithoutPlaintext: a symmetric data key encrypted under a KMS key, for later use (Invoke-KmsDecrypt opens it).</summary>
    [Cmdlet(VerbsCommon.New, "KmsDataKeyWithoutPlaintext", DefaultParameterSetName = ParametersSet)]
    [OutputType(typeof(GenerateDataKeyWithoutPlaintextResponse))]
    public sealed class NewKmsDataKeyWithoutPlaintextCommand : KmsDataKeyCmdlet
    {
        protected override void ProcessRecord() =>
            Invoke("GenerateDataKeyWithoutPlaintext", KeyId, () => new GenerateDataKeyWithoutPlaintextRequest
            {
                KeyId = KeyId,
                KeySpec = KeySpec,
                NumberOfBytes = NumberOfBytes,
                EncryptionContext = ToEncryptionContext(EncryptionContext),
                GrantTokens = ToList(GrantToken),
                DryRun = ToDryRun(DryRun, MyInvocation.BoundParameters),
            }, r => KmsBackend.GenerateDataKeyWithoutPlaintext(r, StopToken));
    }
}
