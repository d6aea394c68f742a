using System.Management.Automation;
using KmsTools.Infrastructure;
using KmsTools.Model;

namespace KmsTools.Commands
{
    /// <summary>GetKeyRotationStatus: whether automatic rotation is on, its period and next date.</summary>
    [Cmdlet(VerbsCommon.Get, "KmsKeyRotationStatus", DefaultParameterSetName = ParametersSet)]
    [OutputType(typeof(GetKeyRotationStatusResponse))]
    public sealed class GetKmsKeyRotationStatusCommand : KmsCmdlet
    {
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true, ParameterSetName = ParametersSet)]
        [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true, ParameterSetName = CliInputJsonSet)]
        [AllowEmptyString]
        [ArgumentCompleter(typeof(KeyIdCompleter))]
        public string KeyId { get; set; }

        protected override void ProcessRecord() =>
            Invoke("GetKeyRotationStatus", KeyId, () => new GetKeyRotationStatusRequest { KeyId = KeyId }, r => KmsBackend.GetKeyRotationStatus(r));
    }
}
