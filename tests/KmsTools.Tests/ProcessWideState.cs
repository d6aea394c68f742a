using Xunit;

namespace KmsTools.Tests
{
    /// <summary>Tests that change environment variables or read process-wide counters run alone.</summary>
    [CollectionDefinition(Name, DisableParallelization = true)]
    public sealed class ProcessWideState
    {
        public const string Name = "process-wide state (environment, counters)";
    }
}
