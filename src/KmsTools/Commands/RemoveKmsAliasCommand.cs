using System.Management.Automation;
using KmsTools.Infrastructure;
using KmsTools.Model;

namespace KmsTools.Commands
{
    /// <summary>DeleteAlias: removes an alias; the key it named is not affected.</summary>
    [Cmdlet(VerbsCommon.Remove, "KmsAlias", DefaultParameterSetName = ParametersSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
    public sealed class RemoveKmsAliasCommand : KmsCmdlet
    {
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true, ParameterSetName = ParametersSet)]
        [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true, ParameterSetName = CliInputJsonSet)]
        [AllowEmptyString]
        [ArgumentCompleter(typeof(AliasNameCompleter))]
        public string AliasName { get; set; }

        protected override void ProcessRecord()
        {
            if (!ShouldChange(AliasName, "Delete alias")) return;
            Invoke("DeleteAlias", AliasName, () => new DeleteAliasRequest { AliasName = AliasName }, r => KmsBackend.DeleteAlias(r, StopToken));
        }
    }
}
