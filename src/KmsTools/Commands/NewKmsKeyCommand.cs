using System.Collections;
using System.Management.Automation;
using KmsTools.Infrastructure;
using KmsTools.Model;

using static KmsTools.Infrastructure.ParameterValues;

namespace KmsTools.Commands
{
    /// <summary>CreateKey: a new KMS key (symmetric encryption by default) in the local store or the remote endpoint.</summary>
    [Cmdlet(VerbsCommon.New, "KmsKey", DefaultParameterSetName = ParametersSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
    [OutputType(typeof(KeyMetadata))]
    public sealed class NewKmsKeyCommand : KmsCmdlet
    {
        [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
        public string Description { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(KeySpecCompleter))]
        public string KeySpec { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(KeyUsageCompleter))]
        public string KeyUsage { get; set; }

        /// <summary>Tags as a hashtable (@{ team = 'ops' }).</summary>
        [Parameter]
        [Alias("Tags")]
        public IDictionary Tag { get; set; }

        /// <summary>The key policy: JSON text, or file://path to a file of it. Without it the key gets AWS's default policy.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        public string Policy { get; set; }

        [Parameter]
        public SwitchParameter BypassPolicyLockoutSafetyCheck { get; set; }

        /// <summary>EXTERNAL for a key whose material you import (Get-KmsParametersForImport, Import-KmsKeyMaterial); AWS_KMS (the default) for material KMS makes.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(OriginCompleter))]
        public string Origin { get; set; }

        /// <summary>A multi-Region primary key (key id mrk-...), which New-KmsReplicateKey replicates into other regions.</summary>
        [Parameter]
        public SwitchParameter MultiRegion { get; set; }

        protected override void ProcessRecord()
        {
            string what = $"{KeySpec ?? Model.KeySpec.SYMMETRIC_DEFAULT} key '{Description}'";
            if (!ShouldChange(what, "Create KMS key")) return;
            Invoke("CreateKey", Description, () => new CreateKeyRequest
            {
                Description = Description,
                KeySpec = KeySpec,
                KeyUsage = KeyUsage,
                Tags = ToTags(Tag),
                Policy = InputFiles.DocumentOrFile(this, Policy, "policy", "Policy"),
                Origin = Origin,
                MultiRegion = ToSwitch(MultiRegion, MyInvocation.BoundParameters, nameof(MultiRegion)),
                BypassPolicyLockoutSafetyCheck = ToSwitch(BypassPolicyLockoutSafetyCheck, MyInvocation.BoundParameters, nameof(BypassPolicyLockoutSafetyCheck)),
            }, r => KmsBackend.CreateKey(r, StopToken), r => r.KeyMetadata);
        }
    }
}
