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
        /// <param name="path">Where the framework says the value is, when it is not the member itself: tags.1.member.tagKey.</param>
        public static KmsException Error(string member, string constraint, string value = null, bool sensitive = false, string path = null)
        {
            // A value longer than a key ARN is cut: a 20 MB Description must not make a 20 MB error record.
            string shown = value == null ? null : Redaction.Shorten(value, 256);
            string where = path ?? LowerCamel(member);
            string at = sensitive || value == null
                ? $"Value at '{where}'"
                : $"Value '{shown}' at '{where}'";
            return new KmsException(KmsErrorCodes.Validation,
                $"1 validation error detected: {at} failed to satisfy constraint: {constraint}", member);
        }

        public static void Required(string member, object value)
        {
            if (value == null)
                throw Error(member, "Member must not be null", "null");
        }

        public static void Length(string member, string value, int min, int max, string path = null)
        {
            if (value == null) throw Error(member, "Member must not be null", "null", path: path);
            if (value.Length < min)
                throw Error(member, $"Member must have length greater than or equal to {min}", value, path: path);
            if (value.Length > max)
                throw Error(member, $"Member must have length less than or equal to {max}", value, path: path);
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

        /// <summary>
        /// The most bytes an encryption context may take serialized (a 2-byte pair count, then each key and value as
        /// a 2-byte length and its UTF-8). AWS KMS documents no bound of its own; this is the one AWS's Encryption SDK
        /// puts on every context it sends to KMS (its message header says the length in 16 bits), so whatever an ESDK
        /// client sends is taken, and a 20 MB context is refused before it is hashed.
        /// </summary>
        public const int MaxSerializedContextBytes = ushort.MaxValue;

        /// <summary>
        /// An encryption context's keys and values must be well-formed UTF-16: a lone surrogate would be encoded as
        /// U+FFFD, and two different contexts would then bind the same AAD and open each other's blobs. And the whole
        /// must fit <see cref="MaxSerializedContextBytes"/>.
        /// </summary>
        public static void EncryptionContext(string member, IDictionary<string, string> context)
        {
            if (context == null) return;
            long serialized = 2;
            foreach (var pair in context)
            {
                if (!IsWellFormed(pair.Key))
                    throw new KmsException(KmsErrorCodes.Validation, $"The encryption context key at position {FirstLoneSurrogate(pair.Key)} of a {pair.Key.Length}-character key is a lone surrogate; keys and values must be well-formed Unicode text.", member);
                if (pair.Value != null && !IsWellFormed(pair.Value))
                    throw new KmsException(KmsErrorCodes.Validation, $"The encryption context value of the key '{Redaction.Shorten(pair.Key, 64)}' has a lone surrogate at position {FirstLoneSurrogate(pair.Value)}; keys and values must be well-formed Unicode text.", member);
                serialized += 4 + System.Text.Encoding.UTF8.GetByteCount(pair.Key) + System.Text.Encoding.UTF8.GetByteCount(pair.Value ?? string.Empty);
            }
            if (serialized > MaxSerializedContextBytes)
                throw new KmsException(KmsErrorCodes.Validation,
                    $"The encryption context ({context.Count} pair{(context.Count == 1 ? "" : "s")}) takes {serialized} bytes serialized; at most {MaxSerializedContextBytes} are accepted (2 bytes for the count, then 2 bytes and the UTF-8 of each key and value, as the AWS Encryption SDK serializes it). Keep large values out of the context: it is not secret, and it is meant to name the data, not to hold it.", member);
        }

        private static bool IsWellFormed(string text) => FirstLoneSurrogate(text) < 0;

        private static int FirstLoneSurrogate(string text)
        {
            for (int i = 0; i < text.Length; i++)
            {
                if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1])) { i++; continue; }
                if (char.IsSurrogate(text[i])) return i;
            }
            return -1;
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
