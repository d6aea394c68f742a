using System.Management.Automation;
using KmsTools.Model;

namespace KmsTools.Commands
{
    /// <summary>ListKeyRotations: the completed rotations of a key (all pages), oldest first.</summary>
    [Cmdlet(VerbsCommon.Get, "KmsKeyRotation", DefaultParameterSetName = ParametersSet)]
    [OutputType(typeof(RotationsListEntry))]
    public sealed class GetKmsKeyRotationCommand : KmsKeyListCmdlet
    {
        protected override void ProcessRecord() =>
            RunPaged("ListKeyRotations", KeyId,
                marker => new ListKeyRotationsRequest { KeyId = KeyId, Marker = marker },
                r => KmsBackend.ListKeyRotations(r, StopToken),
                page => (page.Rotations, NextPage(page.Truncated, page.NextMarker)), singlePage: NoPaginate);
    }
}
