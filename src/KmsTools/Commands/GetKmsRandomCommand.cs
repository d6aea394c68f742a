using System.Management.Automation;
using KmsTools.Model;

namespace KmsTools.Commands
{
    /// <summary>GenerateRandom: cryptographically secure random bytes (1 to 1024).</summary>
    [Cmdlet(VerbsCommon.Get, "KmsRandom", DefaultParameterSetName = ParametersSet)]
    [OutputType(typeof(GenerateRandomResponse))]
    public sealed class GetKmsRandomCommand : KmsCmdlet
    {
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true, ParameterSetName = ParametersSet)]
        [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true, ParameterSetName = CliInputJsonSet)]
        public int? NumberOfBytes { get; set; }

        protected override void ProcessRecord() =>
            Invoke("GenerateRandom", NumberOfBytes, () => new GenerateRandomRequest { NumberOfBytes = NumberOfBytes }, r => KmsBackend.GenerateRandom(r, StopToken));
    }
}
