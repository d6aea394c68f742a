using System.Management.Automation;
using KmsTools.Infrastructure;
using KmsTools.Model;

namespace KmsTools.Commands
{
    /// <summary>ListKeyRotations: the completed rotations of a key (all pages), oldest first.</summary>
    [Cmdlet(VerbsCommon.Get, "KmsKeyRotation")]
    [OutputType(typeof(RotationsListEntry))]
    public sealed class GetKmsKeyRotationCommand : KmsCmdlet
    {
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [AllowEmptyString]
        [ArgumentCompleter(typeof(KeyIdCompleter))]
        public string KeyId { get; set; }

        protected override void ProcessRecord() =>
            RunPaged("ListKeyRotations", KeyId,
                marker => KmsBackend.ListKeyRotations(new ListKeyRotationsRequest { KeyId = KeyId, Marker = marker }),
                page => (page.Rotations, page.Truncated ? page.NextMarker : null));
    }
}
