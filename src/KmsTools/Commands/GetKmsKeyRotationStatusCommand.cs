using System.Management.Automation;
using KmsTools.Model;

namespace KmsTools.Commands
{
    /// <summary>GetKeyRotationStatus: whether automatic rotation is on, its period and next date.</summary>
    [Cmdlet(VerbsCommon.Get, "KmsKeyRotationStatus", DefaultParameterSetName = ParametersSet)]
    [OutputType(typeof(GetKeyRotationStatusResponse))]
    public sealed class GetKmsKeyRotationStatusCommand : KmsKeyCmdlet
    {
        protected override void ProcessRecord() =>
            Invoke("GetKeyRotationStatus", KeyId, () => new GetKeyRotationStatusRequest { KeyId = KeyId }, r => KmsBackend.GetKeyRotationStatus(r, StopToken));
    }
}
