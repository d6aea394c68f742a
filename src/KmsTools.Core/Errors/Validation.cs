using System;
using System.Collections.Generic;

namespace KmsTools
{
    /// <summary>
    /// The KMS framework's input checks, with its recorded wording
    /// (<c>1 validation error detected: Value '...' at 'keyId' failed to satisfy constraint: ...</c>).
    /// They run before any lookup or key generation, so a doomed request costs microseconds.
    /// </summary>
    public static class Validation
    {
        public static KmsException Error(string member, string constraint, string value = null, bool sensitive = false)
        {
            string at = sensitive || value == null
                ? $"Value at '{LowerCamel(member)}'"
                : $"Value '{value}' at '{LowerCamel(member)}'";
            return new KmsException(KmsErrorCodes.Validation,
                $"1 validation error detected: {at} failed to satisfy constraint: {constraint}", member);
        }

        public static void Required(string member, object value)
        {
            if (value == null)
                throw Error(member, "Member must not be null", "null");
        }

        public static void Length(string member, string value, int min, int max)
        {
            Required(member, value);
            if (value.Length < min)
                throw Error(member, $"Member must have length greater than or equal to {min}", value);
            if (value.Length > max)
                throw Error(member, $"Member must have length less than or equal to {max}", value);
        }

        public static void Length(string member, byte[] value, int min, int max)
        {
            if (value == null)
                throw Error(member, "Member must not be null", sensitive: true);
            if (value.Length < min)
                throw Error(member, $"Member must have length greater than or equal to {min}", sensitive: true);
            if (value.Length > max)
                throw Error(member, $"Member must have length less than or equal to {max}", sensitive: true);
        }

        public static void Range(string member, int value, int min, int max)
        {
            if (value < min)
                throw Error(member, $"Member must have value greater than or equal to {min}", value.ToString());
            if (value > max)
                throw Error(member, $"Member must have value less than or equal to {max}", value.ToString());
        }

        public static void GrantTokens(IList<string> tokens)
        {
            if (tokens == null) return;
            if (tokens.Count > 10)
                throw Error("GrantTokens", "Member must have length less than or equal to 10", "[" + string.Join(", ", tokens) + "]");
            foreach (var token in tokens)
            {
                if (token == null || token.Length < 1)
                    throw Error("GrantTokens", "Member must have length greater than or equal to 1", token ?? "null");
                if (token.Length > 8192)
                    throw Error("GrantTokens", "Member must have length less than or equal to 8192", token);
            }
        }

        /// <summary>
        /// Checks <paramref name="value"/> against a closed set and returns the set's own spelling.
        /// Matching ignores case, as PowerShell users expect of enum-like parameters.
        /// </summary>
        public static string OneOf(string member, string value, IReadOnlyList<string> allowed)
        {
            Required(member, value);
            foreach (var candidate in allowed)
                if (string.Equals(candidate, value, StringComparison.OrdinalIgnoreCase))
                    return candidate;
            throw Error(member, "Member must satisfy enum value set: [" + string.Join(", ", allowed) + "]", value);
        }

        public static string LowerCamel(string member) =>
            string.IsNullOrEmpty(member) ? member : char.ToLowerInvariant(member[0]) + member.Substring(1);
    }
}
