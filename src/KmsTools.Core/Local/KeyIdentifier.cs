using System;
using System.Text.RegularExpressions;

namespace KmsTools.Local
{
    /// <summary>The four ways KMS lets a caller name a key: key id, key ARN, alias name, alias ARN.</summary>
    internal sealed class KeyIdentifier
    {
        // A key id is a UUID, or a multi-Region key id (mrk- and 32 hex digits) as AWS gives replicas one id across Regions.
        private static readonly Regex KeyIdPattern = new Regex(
            "^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|mrk-[0-9a-f]{32})$", RegexOptions.CultureInvariant);
        private static readonly Regex ArnPattern = new Regex(
            "^arn:(?<partition>aws[a-z-]*):kms:(?<region>[^:]*):(?<account>[^:]*):(?<resource>(key|alias)/.+)$", RegexOptions.CultureInvariant);

        private KeyIdentifier() { }

        public string Input { get; private set; }
        public bool IsAlias { get; private set; }
        public bool IsArn { get; private set; }

        /// <summary>The bare key id (for key ids and key ARNs) or the alias name (alias/...).</summary>
        public string Name { get; private set; }
        public string Region { get; private set; }
        public string Account { get; private set; }
        public string Partition { get; private set; }

        public static bool IsKeyId(string value) => value != null && KeyIdPattern.IsMatch(value);

        /// <summary>Parses a KeyId; null when it is none of the four forms.</summary>
        public static KeyIdentifier Parse(string input)
        {
            if (input.StartsWith("alias/", StringComparison.Ordinal))
                return new KeyIdentifier { Input = input, IsAlias = true, Name = input };
            if (IsKeyId(input.ToLowerInvariant()))
                return new KeyIdentifier { Input = input, Name = input.ToLowerInvariant() };

            Match arn = ArnPattern.Match(input);
            if (!arn.Success) return null;
            string resource = arn.Groups["resource"].Value;
            bool isAlias = resource.StartsWith("alias/", StringComparison.Ordinal);
            string name = isAlias ? resource : resource.Substring("key/".Length).ToLowerInvariant();
            if (!isAlias && !IsKeyId(name)) return null;
            return new KeyIdentifier
            {
                Input = input,
                IsArn = true,
                IsAlias = isAlias,
                Name = name,
                Region = arn.Groups["region"].Value,
                Account = arn.Groups["account"].Value,
                Partition = arn.Groups["partition"].Value,
            };
        }
    }
}
