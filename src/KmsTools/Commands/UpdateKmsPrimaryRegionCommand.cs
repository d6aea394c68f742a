using System.Management.Automation;
using KmsTools.Infrastructure;
using KmsTools.Model;

namespace KmsTools.Commands
{
    /// <summary>UpdatePrimaryRegion: makes the replica of a multi-Region key in another region its primary, and the primary a replica.</summary>
    [Cmdlet(VerbsData.Update, "KmsPrimaryRegion", DefaultParameterSetName = ParametersSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(KeyMetadata))]
    public sealed class UpdateKmsPrimaryRegionCommand : KmsKeyCmdlet
    {
        /// <summary>The region of the replica that becomes the primary key.</summary>
        [Parameter(Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true, ParameterSetName = ParametersSet)]
        [Parameter(Position = 1, ValueFromPipelineByPropertyName = true, ParameterSetName = CliInputJsonSet)]
        [AllowEmptyString]
        [ArgumentCompleter(typeof(RegionCompleter))]
        public string PrimaryRegion { get; set; }

        /// <summary>Writes the key as it is after the change, a replica now (KMS returns nothing for this operation).</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        protected override void ProcessRecord()
        {
            if (!ShouldChange(KeyId, "Make the replica in " + PrimaryRegion + " the primary key")) return;
            Invoke("UpdatePrimaryRegion", KeyId, () => new UpdatePrimaryRegionRequest { KeyId = KeyId, PrimaryRegion = PrimaryRegion },
                r => KeyAfterChange(PassThru, KmsBackend.UpdatePrimaryRegion(r, StopToken), r.KeyId));
        }
    }
}
