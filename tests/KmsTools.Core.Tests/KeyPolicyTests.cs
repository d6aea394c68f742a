using System.Collections.Generic;
using KmsTools.Local;
using Xunit;

namespace KmsTools.Tests
{
    /// <summary>The key policy language the engine reads: what each statement allows or denies, and what it refuses to read.</summary>
    public class KeyPolicyTests
    {
        private const string Account = "111122223333";
        private const string KeyArn = "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";
        private const string Role = "arn:aws:iam::111122223333:role/app";

        private static PolicyRequest Request(string action, string principal = Role, IDictionary<string, string> context = null) =>
            new PolicyRequest { Principal = principal, Account = principal.Split(':')[4], Action = action, Resource = KeyArn, EncryptionContext = context };

        private static PolicyDecision Decide(string statements, PolicyRequest request) =>
            KeyPolicy.Parse("{\"Version\":\"2012-10-17\",\"Statement\":[" + statements + "]}").Evaluate(request);

        private static string DecideText(string statements, PolicyRequest request) => Decide(statements, request).ToString();

        private static string Allow(string principal, string action, string extra = "") =>
            $"{{\"Effect\":\"Allow\",\"Principal\":{principal},\"Action\":{action},\"Resource\":\"*\"{extra}}}";

        [Fact]
        public void TheDefaultPolicyLetsEveryCallerOfTheAccountDoEverything()
        {
            KeyPolicy policy = KeyPolicy.Parse(KeyPolicy.Default("aws", Account));
            Assert.Equal(PolicyDecision.Allow, policy.Evaluate(Request("kms:Decrypt")));
            Assert.Equal(PolicyDecision.Allow, policy.Evaluate(Request("kms:PutKeyPolicy", "arn:aws:iam::111122223333:root")));
            Assert.Equal(PolicyDecision.ImplicitDeny, policy.Evaluate(Request("kms:Decrypt", "arn:aws:iam::444455556666:role/app")));
        }

        [Theory]
        [InlineData("\"kms:Decrypt\"", "kms:Decrypt", "Allow")]
        [InlineData("\"kms:decrypt\"", "kms:Decrypt", "Allow")] // actions ignore case, as in IAM
        [InlineData("\"kms:Generate*\"", "kms:GenerateDataKeyPair", "Allow")]
        [InlineData("\"kms:Generate*\"", "kms:Encrypt", "ImplicitDeny")]
        [InlineData("[\"kms:Encrypt\",\"kms:Decrypt\"]", "kms:Decrypt", "Allow")]
        [InlineData("\"kms:ReEncrypt?rom\"", "kms:ReEncryptFrom", "Allow")]
        public void ActionsMatchWithWildcards(string actions, string action, string expected) =>
            Assert.Equal(expected, DecideText(Allow("{\"AWS\":\"" + Role + "\"}", actions), Request(action)));

        [Fact]
        public void DenyWinsOverAllow()
        {
            string statements = Allow("\"*\"", "\"kms:*\"") + ",{\"Effect\":\"Deny\",\"Principal\":\"*\",\"Action\":\"kms:Decrypt\",\"Resource\":\"*\"}";
            Assert.Equal(PolicyDecision.ExplicitDeny, Decide(statements, Request("kms:Decrypt")));
            Assert.Equal(PolicyDecision.Allow, Decide(statements, Request("kms:Encrypt")));
        }

        [Fact]
        public void NotActionAllowsEverythingElse()
        {
            string statement = "{\"Effect\":\"Allow\",\"Principal\":\"*\",\"NotAction\":\"kms:Decrypt\",\"Resource\":\"*\"}";
            Assert.Equal(PolicyDecision.ImplicitDeny, Decide(statement, Request("kms:Decrypt")));
            Assert.Equal(PolicyDecision.Allow, Decide(statement, Request("kms:Encrypt")));
        }

        [Theory]
        [InlineData("\"111122223333\"", Role, "Allow")]
        [InlineData("\"arn:aws:iam::111122223333:root\"", Role, "Allow")]
        [InlineData("\"arn:aws:iam::111122223333:role/app\"", Role, "Allow")]
        [InlineData("\"arn:aws:iam::111122223333:role/other\"", Role, "ImplicitDeny")]
        [InlineData("\"arn:aws:iam::111122223333:role/app\"", "arn:aws:sts::111122223333:assumed-role/app/session-1", "Allow")]
        [InlineData("\"arn:aws:iam::111122223333:role/ap\"", "arn:aws:sts::111122223333:assumed-role/app/session-1", "ImplicitDeny")]
        [InlineData("\"444455556666\"", Role, "ImplicitDeny")]
        [InlineData("[\"arn:aws:iam::111122223333:user/x\",\"arn:aws:iam::111122223333:role/app\"]", Role, "Allow")]
        public void PrincipalsMatchTheirAccountTheirRoleAndItsSessions(string principals, string caller, string expected) =>
            Assert.Equal(expected, DecideText(Allow("{\"AWS\":" + principals + "}", "\"kms:Decrypt\""), Request("kms:Decrypt", caller)));

        [Fact]
        public void AResourceOtherThanTheKeyDoesNotApply()
        {
            string statement = "{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"kms:*\",\"Resource\":\"arn:aws:kms:us-east-1:111122223333:key/other\"}";
            Assert.Equal(PolicyDecision.ImplicitDeny, Decide(statement, Request("kms:Decrypt")));
            statement = statement.Replace("key/other", "key/1234abcd-*");
            Assert.Equal(PolicyDecision.Allow, Decide(statement, Request("kms:Decrypt")));
        }

        [Fact]
        public void AStatementWithoutActionOrResourceHasNoEffect()
        {
            Assert.Equal(PolicyDecision.ImplicitDeny, Decide("{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Resource\":\"*\"}", Request("kms:Decrypt")));
            Assert.Equal(PolicyDecision.ImplicitDeny, Decide("{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"kms:*\"}", Request("kms:Decrypt")));
        }

        public static IEnumerable<object[]> Conditions() => new[]
        {
            // condition, context, expected
            new object[] { "{\"StringEquals\":{\"kms:EncryptionContext:app\":\"billing\"}}", new Dictionary<string, string> { ["app"] = "billing" }, "Allow" },
            new object[] { "{\"StringEquals\":{\"kms:EncryptionContext:app\":\"billing\"}}", new Dictionary<string, string> { ["APP"] = "billing" }, "Allow" },
            new object[] { "{\"StringEquals\":{\"kms:EncryptionContext:app\":\"billing\"}}", new Dictionary<string, string> { ["app"] = "Billing" }, "ImplicitDeny" },
            new object[] { "{\"StringEquals\":{\"kms:EncryptionContext:app\":\"billing\"}}", null, "ImplicitDeny" },
            new object[] { "{\"StringEqualsIgnoreCase\":{\"kms:EncryptionContext:app\":\"BILLING\"}}", new Dictionary<string, string> { ["app"] = "billing" }, "Allow" },
            new object[] { "{\"StringLike\":{\"kms:EncryptionContext:app\":\"bill*\"}}", new Dictionary<string, string> { ["app"] = "billing" }, "Allow" },
            new object[] { "{\"StringNotEquals\":{\"kms:EncryptionContext:app\":\"billing\"}}", null, "Allow" },
            new object[] { "{\"StringNotEquals\":{\"kms:EncryptionContext:app\":\"billing\"}}", new Dictionary<string, string> { ["app"] = "billing" }, "ImplicitDeny" },
            new object[] { "{\"StringEqualsIfExists\":{\"kms:EncryptionContext:app\":\"billing\"}}", null, "Allow" },
            new object[] { "{\"StringEqualsIfExists\":{\"kms:EncryptionContext:app\":\"billing\"}}", new Dictionary<string, string> { ["app"] = "x" }, "ImplicitDeny" },
            new object[] { "{\"ForAnyValue:StringEquals\":{\"kms:EncryptionContextKeys\":[\"app\",\"team\"]}}", new Dictionary<string, string> { ["team"] = "a", ["other"] = "b" }, "Allow" },
            new object[] { "{\"ForAnyValue:StringEquals\":{\"kms:EncryptionContextKeys\":\"app\"}}", null, "ImplicitDeny" },
            new object[] { "{\"ForAllValues:StringEquals\":{\"kms:EncryptionContextKeys\":[\"app\",\"team\"]}}", new Dictionary<string, string> { ["team"] = "a" }, "Allow" },
            new object[] { "{\"ForAllValues:StringEquals\":{\"kms:EncryptionContextKeys\":[\"app\",\"team\"]}}", new Dictionary<string, string> { ["team"] = "a", ["other"] = "b" }, "ImplicitDeny" },
            new object[] { "{\"ForAllValues:StringEquals\":{\"kms:EncryptionContextKeys\":\"app\"}}", null, "Allow" },
            new object[] { "{\"Null\":{\"kms:EncryptionContextKeys\":\"false\"}}", null, "ImplicitDeny" },
            new object[] { "{\"Null\":{\"kms:EncryptionContextKeys\":\"false\"}}", new Dictionary<string, string> { ["a"] = "b" }, "Allow" },
            new object[] { "{\"StringEquals\":{\"kms:EncryptionContext:app\":\"billing\",\"kms:EncryptionContext:env\":[\"prod\",\"test\"]}}", new Dictionary<string, string> { ["app"] = "billing", ["env"] = "test" }, "Allow" },
            new object[] { "{\"StringEquals\":{\"kms:EncryptionContext:app\":\"billing\",\"kms:EncryptionContext:env\":[\"prod\",\"test\"]}}", new Dictionary<string, string> { ["app"] = "billing" }, "ImplicitDeny" },
            new object[] { "{\"StringEquals\":{\"kms:CallerAccount\":\"111122223333\"}}", null, "Allow" },
        };

        [Theory]
        [MemberData(nameof(Conditions))]
        public void ConditionsAreEvaluatedAsIamEvaluatesThem(string condition, Dictionary<string, string> context, string expected) =>
            Assert.Equal(expected, DecideText(Allow("\"*\"", "\"kms:Decrypt\"", ",\"Condition\":" + condition), Request("kms:Decrypt", context: context)));

        [Theory]
        [InlineData("{\"Statement\":[{\"Effect\":\"Allow\",\"Effect\":\"Deny\",\"Principal\":\"*\",\"Action\":\"kms:*\",\"Resource\":\"*\"}]}", "not valid JSON")]
        [InlineData("{\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"kms:*\",\"Resource\":\"*\"}]} {}", "Additional text encountered after finished reading JSON content")]
        [InlineData("[]", "must be a JSON object")]
        [InlineData("{\"Version\":\"2020-01-01\",\"Statement\":[]}", "Version must be")]
        [InlineData("{\"Statment\":[]}", "unknown element 'Statment'")]
        [InlineData("{\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"kms:*\",\"Resource\":\"*\",\"Condition\":{\"NumericLessThan\":{\"a\":\"1\"}}}]}", "NumericLessThan")]
        [InlineData("{\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::1111:root\"},\"Action\":\"kms:*\",\"Resource\":\"*\"}]}", "invalid principals")]
        [InlineData("{\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":\"someone\",\"Action\":\"kms:*\",\"Resource\":\"*\"}]}", "invalid principals")]
        [InlineData("{\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"kms:*\",\"NotAction\":\"kms:Decrypt\",\"Resource\":\"*\"}]}", "both Action and NotAction")]
        public void AMalformedPolicyIsRefusedWithWhatIsWrong(string text, string expected)
        {
            var e = Assert.Throws<KmsException>(() => KeyPolicy.Parse(text));
            Assert.Equal(KmsErrorCodes.MalformedPolicyDocument, e.ErrorCode);
            Assert.Contains(expected, e.Message);
        }

        [Fact]
        public void GrantTokensNameTheirGrantAndNoTwoAreAlike()
        {
            string keyId = "1234abcd-12ab-34cd-56ef-1234567890ab", grantId = new string('a', 64);
            string first = GrantToken.Create(keyId, grantId), second = GrantToken.Create(keyId, grantId);
            Assert.NotEqual(first, second);
            Assert.Equal((keyId, grantId), GrantToken.Parse(first));
            Assert.Equal(("mrk-0123456789abcdef0123456789abcdef", grantId), GrantToken.Parse(GrantToken.Create("mrk-0123456789abcdef0123456789abcdef", grantId)));
            foreach (string bad in new[] { "x", first.Substring(1), first + "A", System.Convert.ToBase64String(System.Text.Encoding.ASCII.GetBytes("kmstools-grant/1:" + keyId + ":" + grantId)) })
                Assert.Equal(KmsErrorCodes.InvalidGrantToken, Assert.Throws<KmsException>(() => GrantToken.Parse(bad)).ErrorCode);
        }

        [Fact]
        public void GrantConstraintsAdmitTheContextsTheyName()
        {
            var equals = new GrantRecord { EncryptionContextEquals = new Dictionary<string, string> { ["a"] = "1" } };
            Assert.True(equals.Admits(new Dictionary<string, string> { ["a"] = "1" }));
            Assert.False(equals.Admits(new Dictionary<string, string> { ["a"] = "1", ["b"] = "2" }));
            Assert.False(equals.Admits(null));
            var subset = new GrantRecord { EncryptionContextSubset = new Dictionary<string, string> { ["a"] = "1" } };
            Assert.True(subset.Admits(new Dictionary<string, string> { ["a"] = "1", ["b"] = "2" }));
            Assert.False(subset.Admits(new Dictionary<string, string> { ["a"] = "2" }));
            Assert.True(new GrantRecord().Admits(null));
        }
    }
}
