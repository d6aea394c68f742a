using System.Management.Automation;
using KmsTools.Model;

namespace KmsTools.Commands
{
    /// <summary>GetKeyLastUsage: the last successful cryptographic operation with a key, and since when its use is tracked.</summary>
    [Cmdlet(VerbsCommon.Get, "KmsKeyLastUsage", DefaultParameterSetName = ParametersSet)]
    [OutputType(typeof(GetKeyLastUsageResponse))]
    public sealed class GetKmsKeyLastUsageCommand : KmsKeyCmdlet
    {
        protected override void ProcessRecord() =>
            Invoke("GetKeyLastUsage", KeyId, () => new GetKeyLastUsageRequest { KeyId = KeyId }, r => KmsBackend.GetKeyLastUsage(r, StopToken));
    }
}
