using System.Management.Automation;
using KmsTools.Infrastructure;
using KmsTools.Model;

namespace KmsTools.Commands
{
    /// <summary>GetKeyRotationStatus: whether automatic rotation is on, its period and next date.</summary>
    [Cmdlet(VerbsCommon.Get, "KmsKeyRotationStatus")]
    [OutputType(typeof(GetKeyRotationStatusResponse))]
    public sealed class GetKmsKeyRotationStatusCommand : KmsCmdlet
    {
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [AllowEmptyString]
        [ArgumentCompleter(typeof(KeyIdCompleter))]
        public string KeyId { get; set; }

        protected override void ProcessRecord() =>
            Run("GetKeyRotationStatus", KeyId, () => KmsBackend.GetKeyRotationStatus(new GetKeyRotationStatusRequest { KeyId = KeyId }));
    }
}
