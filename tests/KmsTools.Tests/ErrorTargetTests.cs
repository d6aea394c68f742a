using System.Collections.Generic;
using System.Management.Automation;
using KmsTools.Infrastructure;
using Xunit;

namespace KmsTools.Tests
{
    public class ErrorTargetTests
    {
        private static readonly Dictionary<string, object> Bound = new Dictionary<string, object>
        {
            ["KeyId"] = "alias/missing",
            ["KeyPairSpec"] = "RSA_1024",
            ["Plaintext"] = new byte[] { 1, 2, 3 },
            ["PlaintextString"] = "hunter2",
            ["DryRun"] = new SwitchParameter(true),
        };

        [Theory]
        [InlineData("KeyPairSpec", "RSA_1024")]
        [InlineData("KeyId", "alias/missing")]
        public void TheTargetIsTheValueOfTheMemberKmsNamed(string member, string expected) =>
            Assert.Equal(expected, ErrorTargets.For(new KmsException("ValidationException", "bad", member), "item", Bound));

        [Theory]
        [InlineData("Plaintext")]
        [InlineData("PlaintextString")]
        [InlineData("PrivateKeyPlaintext")]
        public void ASecretIsNeverTheTarget(string member) =>
            Assert.Equal("item", ErrorTargets.For(new KmsException("ValidationException", "bad", member), "item", Bound));

        [Theory]
        [InlineData(null)]
        [InlineData("DryRun")]          // a switch says nothing about which input was wrong
        [InlineData("GrantTokens")]     // named by KMS, not given on the command line (from -CliInputJson)
        public void OtherwiseTheTargetIsTheItemsMainInput(string member) =>
            Assert.Equal("item", ErrorTargets.For(new KmsException("ValidationException", "bad", member), "item", Bound));

        [Theory]
        [InlineData("GrantTokens", "GrantToken")]
        [InlineData("Tags", "Tag")]
        [InlineData("TagKeys", "TagKey")]
        public void APluralMemberNamesItsSingularParameter(string member, string parameter)
        {
            var value = new[] { "a", "b" };
            var bound = new Dictionary<string, object> { [parameter] = value };
            Assert.Same(value, ErrorTargets.For(new KmsException("ValidationException", "bad", member), "item", bound));
        }
    }
}
