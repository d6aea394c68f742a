using System.Management.Automation;
using KmsTools.Infrastructure;
using KmsTools.Local;
using KmsTools.Local.Seeding;

namespace KmsTools.Commands
{
    /// <summary>
    /// Creates the keys, key material and aliases a seed file names (local-kms's YAML format, or the same as JSON)
    /// in the local store, when they are not there yet: fixed key ids and material for test suites, on every run.
    /// </summary>
    [Cmdlet(VerbsData.Import, "KmsKeyStoreSeed", SupportsShouldProcess = true)]
    [OutputType(typeof(SeedImportResult))]
    public sealed class ImportKmsKeyStoreSeedCommand : PSCmdlet
    {
        /// <summary>The seed file: YAML in local-kms's format, or the same content as JSON.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("FullName")]
        [ValidateNotNullOrEmpty]
        public string Path { get; set; }

        /// <summary>The region whose keys the seed creates. Default: the AWS region chain, as for the cmdlets.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(RegionCompleter))]
        public string Region { get; set; }

        protected override void ProcessRecord()
        {
            string path = GetUnresolvedProviderPathFromPSPath(Path);
            try
            {
                using (KeyStoreSeed seed = KeyStoreSeed.Read(path))
                {
                    if (!ShouldProcess(path, $"Import {seed.Keys.Count} keys and {seed.Aliases.Count} aliases")) return;
                    WriteObject(SeedImport.Run(seed, Region));
                }
            }
            catch (KmsException e)
            {
                WriteError(KmsErrorRecords.Create(e, Path));
            }
        }
    }
}
