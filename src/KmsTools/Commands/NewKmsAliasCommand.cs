using System.Management.Automation;
using KmsTools.Infrastructure;
using KmsTools.Model;

namespace KmsTools.Commands
{
    /// <summary>CreateAlias: a friendly name (alias/...) for a KMS key.</summary>
    [Cmdlet(VerbsCommon.New, "KmsAlias", DefaultParameterSetName = ParametersSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
    [OutputType(typeof(AliasListEntry))]
    public sealed class NewKmsAliasCommand : KmsCmdlet
    {
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true, ParameterSetName = ParametersSet)]
        [Parameter(Position = 0, ValueFromPipelineByPropertyName = true, ParameterSetName = CliInputJsonSet)]
        [AllowEmptyString]
        public string AliasName { get; set; }

        [Parameter(Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true, ParameterSetName = ParametersSet)]
        [Parameter(Position = 1, ValueFromPipelineByPropertyName = true, ParameterSetName = CliInputJsonSet)]
        [Alias("KeyId")]
        [AllowEmptyString]
        [ArgumentCompleter(typeof(KeyIdCompleter))]
        public string TargetKeyId { get; set; }

        /// <summary>Writes the new alias to the pipeline (CreateAlias itself returns nothing).</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        protected override void ProcessRecord()
        {
            if (!ShouldChange($"{AliasName} -> {TargetKeyId}", "Create KMS alias")) return;
            Invoke("CreateAlias", AliasName, () => new CreateAliasRequest { AliasName = AliasName, TargetKeyId = TargetKeyId }, r =>
            {
                return AliasAfterChange(PassThru, KmsBackend.CreateAlias(r, StopToken), r.AliasName, r.TargetKeyId);
            });
        }
    }
}
