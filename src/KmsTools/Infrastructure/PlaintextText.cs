using System;
using System.Security;
using System.Text;

namespace KmsTools.Infrastructure
{
    /// <summary>
    /// A plaintext as the text -AsString and -AsSecureString ask for: its UTF-8, decoded into a char array (not a string)
    /// that is cleared afterwards, so that a SecureString leaves no other copy of the text behind. A plaintext that is
    /// not UTF-8 is a ValidationException naming the switch, with the caller's advice on getting its bytes instead.
    /// </summary>
    internal static class PlaintextText
    {
        public static object From(byte[] plaintext, int count, bool asSecureString, string advice)
        {
            char[] text = null;
            try
            {
                try
                {
                    text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetChars(plaintext, 0, count);
                }
                catch (DecoderFallbackException)
                {
                    throw new KmsException(KmsErrorCodes.Validation, $"The plaintext ({count} bytes) is not UTF-8 text{advice}",
                        asSecureString ? "AsSecureString" : "AsString");
                }
                if (!asSecureString) return new string(text);
                var secure = new SecureString();
                foreach (char c in text) secure.AppendChar(c);
                secure.MakeReadOnly();
                return secure;
            }
            finally
            {
                if (text != null) Array.Clear(text, 0, text.Length);
            }
        }
    }
}
