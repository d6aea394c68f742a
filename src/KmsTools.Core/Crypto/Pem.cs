using System;
using System.Text;

namespace KmsTools.Crypto
{
    /// <summary>RFC 7468 textual encoding: base64 in 64-character lines between BEGIN/END labels.</summary>
    public static class Pem
    {
        public const string PublicKeyLabel = "PUBLIC KEY";
        public const string PrivateKeyLabel = "PRIVATE KEY";

        public static string Encode(string label, byte[] der)
        {
            if (der == null) throw new ArgumentNullException(nameof(der));
            string base64 = Convert.ToBase64String(der);
            var text = new StringBuilder(base64.Length + base64.Length / 64 + 64);
            text.Append("-----BEGIN ").Append(label).Append("-----\n");
            for (int i = 0; i < base64.Length; i += 64)
                text.Append(base64, i, Math.Min(64, base64.Length - i)).Append('\n');
            text.Append("-----END ").Append(label).Append("-----\n");
            return text.ToString();
        }

        /// <summary>The DER inside the first block with this label (strict RFC 7468 base64), or null when there is none.</summary>
        public static byte[] Decode(string label, string text)
        {
            if (text == null) return null;
            string begin = "-----BEGIN " + label + "-----", end = "-----END " + label + "-----";
            int start = text.IndexOf(begin, StringComparison.Ordinal);
            if (start < 0) return null;
            start += begin.Length;
            int stop = text.IndexOf(end, start, StringComparison.Ordinal);
            if (stop < 0) return null;
            var base64 = new StringBuilder(stop - start);
            for (int i = start; i < stop; i++)
                if (!char.IsWhiteSpace(text[i])) base64.Append(text[i]);
            try
            {
                return Convert.FromBase64String(base64.ToString());
            }
            catch (FormatException)
            {
                return null;
            }
        }
    }
}
