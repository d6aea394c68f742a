using System.Management.Automation;
using KmsTools.Infrastructure;
using KmsTools.Model;

namespace KmsTools.Commands
{
    /// <summary>UpdateAlias: points an existing alias at another key of the same key spec and usage.</summary>
    [Cmdlet(VerbsData.Update, "KmsAlias", DefaultParameterSetName = ParametersSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(AliasListEntry))]
    public sealed class UpdateKmsAliasCommand : KmsCmdlet
    {
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true, ParameterSetName = ParametersSet)]
        [Parameter(Position = 0, ValueFromPipelineByPropertyName = true, ParameterSetName = CliInputJsonSet)]
        [AllowEmptyString]
        [ArgumentCompleter(typeof(AliasNameCompleter))]
        public string AliasName { get; set; }

        [Parameter(Mandatory = true, Position = 1, ParameterSetName = ParametersSet)]
        [Parameter(Position = 1, ParameterSetName = CliInputJsonSet)]
        [AllowEmptyString]
        [ArgumentCompleter(typeof(KeyIdCompleter))]
        public string TargetKeyId { get; set; }

        /// <summary>Writes the alias as it is after the change (UpdateAlias itself returns nothing).</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        protected override void ProcessRecord()
        {
            if (!ShouldChange(AliasName, $"Point alias at {TargetKeyId}")) return;
            Invoke("UpdateAlias", AliasName, () => new UpdateAliasRequest { AliasName = AliasName, TargetKeyId = TargetKeyId }, r => AliasAfterChange(PassThru, KmsBackend.UpdateAlias(r, StopToken), r.AliasName, r.TargetKeyId));
        }
    }
}
