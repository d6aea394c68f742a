using System;
using System.Collections;
using System.Linq;
using System.Reflection;
using System.Text;

namespace KmsTools
{
    /// <summary>
    /// Describes a request or response for -Debug traces with every secret blanked: plaintexts and private keys
    /// show only their length. Blobs show their length too (they are not secret, only long).
    /// </summary>
    public static class Redaction
    {
        private static readonly string[] SecretMembers = { "Plaintext", "PrivateKeyPlaintext", "PlaintextString", "SharedSecret" };

        public static bool IsSecret(string member) => SecretMembers.Contains(member);

        /// <summary>Zeroes the secret byte[] members of a request or response (a plaintext, a private key, a shared secret) once it has been used.</summary>
        public static void ClearSecrets(object value)
        {
            if (value == null) return;
            foreach (PropertyInfo property in SecretBytes.GetOrAdd(value.GetType(), type => SecretMembers
                         .Select(name => type.GetProperty(name, BindingFlags.Public | BindingFlags.Instance))
                         .Where(p => p != null && p.PropertyType == typeof(byte[])).ToArray()))
                if (property.GetValue(value) is byte[] secret)
                    Array.Clear(secret, 0, secret.Length);
        }

        // Per type, once: the server clears every request and response it answers.
        private static readonly System.Collections.Concurrent.ConcurrentDictionary<Type, PropertyInfo[]> SecretBytes =
            new System.Collections.Concurrent.ConcurrentDictionary<Type, PropertyInfo[]>();

        /// <summary>A value as an error message shows it: at most <paramref name="max"/> characters, then how long it was.</summary>
        public static string Shorten(string text, int max = 64) =>
            text == null ? "null" : text.Length <= max ? text : text.Substring(0, max) + $"... ({text.Length} characters)";

        /// <summary>
        /// An endpoint URL as messages, -Verbose and error targets show it: without the user:password of its authority
        /// (http://user:pass@host/ becomes http://***@host/), which would otherwise end up in $Error, transcripts and logs.
        /// </summary>
        public static string Endpoint(string url)
        {
            if (string.IsNullOrEmpty(url)) return url;
            int scheme = url.IndexOf("://", StringComparison.Ordinal);
            int start = scheme < 0 ? 0 : scheme + 3;
            int end = url.IndexOfAny(new[] { '/', '?', '#' }, start);
            string authority = end < 0 ? url.Substring(start) : url.Substring(start, end - start);
            int at = authority.LastIndexOf('@');
            return at < 0 ? url : url.Substring(0, start) + "***" + url.Substring(start + at);
        }

        public static string Describe(object value)
        {
            if (value == null) return "null";
            var text = new StringBuilder("{");
            bool first = true;
            foreach (PropertyInfo property in value.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance))
            {
                if (property.GetIndexParameters().Length > 0 || property.Name.EndsWith("Base64", StringComparison.Ordinal) || property.Name.EndsWith("Pem", StringComparison.Ordinal)) continue;
                object member = property.GetValue(value);
                if (member == null) continue;
                if (!first) text.Append(", ");
                first = false;
                text.Append(property.Name).Append(": ");
                if (IsSecret(property.Name))
                    text.Append(member is byte[] secret ? $"<{secret.Length} bytes, hidden>" : "<hidden>");
                else if (member is byte[] bytes)
                    text.Append($"<{bytes.Length} bytes>");
                else if (member is IDictionary map)
                    text.Append("{").Append(string.Join(", ", map.Keys.Cast<object>().Select(k => $"{k}={map[k]}"))).Append("}");
                else if (member is IEnumerable list && !(member is string))
                    text.Append("[").Append(string.Join(", ", list.Cast<object>())).Append("]");
                else
                    text.Append(member);
            }
            return text.Append("}").ToString();
        }

        /// <summary>Zeroes every secret byte[] member (Plaintext, PrivateKeyPlaintext) of a result nobody will see.</summary>
        public static void ZeroSecrets(object value)
        {
            if (value == null) return;
            foreach (PropertyInfo property in value.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance))
                if (IsSecret(property.Name) && property.PropertyType == typeof(byte[]) && property.GetIndexParameters().Length == 0)
                    Crypto.SecureBytes.Clear((byte[])property.GetValue(value));
        }
    }
}
