using KmsTools.Local;
using KmsTools.Local.Seeding;

namespace KmsTools.Commands
{
    /// <summary>One way to import a seed, for Import-KmsKeyStoreSeed and Start-KmsServer -Seed.</summary>
    internal static class SeedImport
    {
        public static SeedImportResult Run(KeyStoreSeed seed, string region)
        {
            using (var engine = new LocalKmsBackend(LocalKmsOptions.Resolve(region)))
                return engine.ImportSeed(seed);
        }
    }
}
