using System.Collections;
using System.Management.Automation;
using KmsTools.Infrastructure;
using KmsTools.Model;

using static KmsTools.Infrastructure.ParameterValues;

namespace KmsTools.Commands
{
    /// <summary>ReplicateKey: a replica of a multi-Region primary key in another region, with the same key id and key material; writes the replica key.</summary>
    [Cmdlet(VerbsCommon.New, "KmsReplicateKey", DefaultParameterSetName = ParametersSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
    [OutputType(typeof(KeyMetadata))]
    public sealed class NewKmsReplicateKeyCommand : KmsKeyCmdlet
    {
        /// <summary>The region of the replica: another region of the same partition.</summary>
        [Parameter(Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true, ParameterSetName = ParametersSet)]
        [Parameter(Position = 1, ValueFromPipelineByPropertyName = true, ParameterSetName = CliInputJsonSet)]
        [AllowEmptyString]
        [ArgumentCompleter(typeof(RegionCompleter))]
        public string ReplicaRegion { get; set; }

        /// <summary>The replica's key policy: JSON text, or file://path. Without it the replica gets AWS's default policy.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        public string Policy { get; set; }

        [Parameter]
        public SwitchParameter BypassPolicyLockoutSafetyCheck { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        public string Description { get; set; }

        /// <summary>The replica's tags as a hashtable (@{ team = 'ops' }); a replica has tags of its own.</summary>
        [Parameter]
        [Alias("Tags")]
        public IDictionary Tag { get; set; }

        protected override void ProcessRecord()
        {
            if (!ShouldChange(KeyId, "Replicate to " + ReplicaRegion)) return;
            Invoke("ReplicateKey", KeyId, () => new ReplicateKeyRequest
            {
                KeyId = KeyId,
                ReplicaRegion = ReplicaRegion,
                Policy = InputFiles.DocumentOrFile(this, Policy, "policy", "Policy"),
                BypassPolicyLockoutSafetyCheck = ToSwitch(BypassPolicyLockoutSafetyCheck, MyInvocation.BoundParameters, nameof(BypassPolicyLockoutSafetyCheck)),
                Description = Description,
                Tags = ToTags(Tag),
            }, r => KmsBackend.ReplicateKey(r, StopToken), r => r.ReplicaKeyMetadata);
        }
    }
}
