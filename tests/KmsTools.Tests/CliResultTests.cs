using System.Collections.Generic;
using System.Management.Automation;
using KmsTools.Cli;
using KmsTools.Infrastructure;
using KmsTools.Model;
using Xunit;

namespace KmsTools.Tests
{
    public class CliResultTests
    {
        private static CliDocument Document() => CliDocument.FromResponse(new GetKeyRotationStatusResponse
        {
            KeyId = "1234abcd-12ab-34cd-56ef-1234567890ab", KeyRotationEnabled = true, RotationPeriodInDays = 365,
        });

        [Fact]
        public void OutputIsOneStringWithoutTheCliFinalNewline()
        {
            var (value, enumerate) = CliResult.Render(Document(), "GetKeyRotationStatus", "text", null);
            Assert.Equal("1234abcd-12ab-34cd-56ef-1234567890ab\tTrue\t365", value); // scalars in key order, as the CLI prints them
            Assert.False(enumerate);
        }

        [Fact]
        public void QueryAloneGivesPowerShellObjects()
        {
            var (value, enumerate) = CliResult.Render(Document(), "GetKeyRotationStatus", null, "{Id: KeyId, Days: RotationPeriodInDays}");
            var result = Assert.IsType<PSObject>(value);
            Assert.Equal("1234abcd-12ab-34cd-56ef-1234567890ab", result.Properties["Id"].Value);
            Assert.Equal(365L, result.Properties["Days"].Value);
            Assert.True(enumerate);
        }

        [Fact]
        public void AResultTheCliPrintsNothingForWritesNothing()
        {
            var (value, _) = CliResult.Render(CliDocument.FromResponse(new EnableKeyResponse()), "EnableKey", "json", null);
            Assert.Null(value);
        }

        [Fact]
        public void ArraysStayArraysAndNestedObjectsBecomePSObjects()
        {
            object converted = CliResult.ToPowerShell(new object[]
            {
                new List<KeyValuePair<string, object>> { new KeyValuePair<string, object>("TagKey", "team") }, "x",
            });
            var items = Assert.IsType<object[]>(converted);
            Assert.Equal("team", Assert.IsType<PSObject>(items[0]).Properties["TagKey"].Value);
            Assert.Equal("x", items[1]);
        }
    }
}
