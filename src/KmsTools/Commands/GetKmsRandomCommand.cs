using System.Management.Automation;
using KmsTools.Model;

namespace KmsTools.Commands
{
    /// <summary>GenerateRandom: cryptographically secure random bytes (1 to 1024).</summary>
    [Cmdlet(VerbsCommon.Get, "KmsRandom")]
    [OutputType(typeof(GenerateRandomResponse))]
    public sealed class GetKmsRandomCommand : KmsCmdlet
    {
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        public int NumberOfBytes { get; set; }

        protected override void ProcessRecord() =>
            Run("GenerateRandom", NumberOfBytes, () => KmsBackend.GenerateRandom(new GenerateRandomRequest { NumberOfBytes = NumberOfBytes }));
    }
}
