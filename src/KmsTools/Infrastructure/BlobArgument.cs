using System;
using System.IO;
using System.Linq;
using System.Management.Automation;

namespace KmsTools.Infrastructure
{
    /// <summary>
    /// Reads a blob parameter: a byte[], a base64 string (decoded, never read as UTF-8 text), or a FileInfo (its bytes).
    /// Anything else is a ValidationException for that pipeline item, saying how to pass a blob.
    /// </summary>
    internal static class BlobArgument
    {
        public static byte[] ToBytes(object value, string member)
        {
            object raw = value is PSObject wrapped ? wrapped.BaseObject : value;
            switch (raw)
            {
                case null:
                    return null;
                case byte[] bytes:
                    return bytes;
                case string text:
                    return FromBase64(text, member);
                case FileInfo file:
                    try
                    {
                        return File.ReadAllBytes(file.FullName);
                    }
                    catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
                    {
                        throw new KmsException(KmsErrorCodes.Validation, $"{member}: the file '{file.FullName}' cannot be read: {e.Message}", member);
                    }
                case object[] items when items.All(i => (i is PSObject p ? p.BaseObject : i) is byte):
                    return items.Select(i => (byte)(i is PSObject p ? p.BaseObject : i)).ToArray();
                default:
                    throw new KmsException(KmsErrorCodes.Validation,
                        $"{member}: a {raw.GetType().Name} is not a blob. {HowToPass}", member);
            }
        }

        private const string HowToPass =
            "Pass a byte[] (for example [IO.File]::ReadAllBytes($path)), a base64 string (such as the ...Base64 property of a KmsTools result), or a file (Get-Item blob.bin).";

        private static byte[] FromBase64(string text, string member)
        {
            string compact = new string(text.Where(c => !char.IsWhiteSpace(c)).ToArray());
            try
            {
                return Convert.FromBase64String(compact);
            }
            catch (FormatException)
            {
                if (member == "Plaintext")
                    // Never echo a plaintext, not even part of it.
                    throw new KmsException(KmsErrorCodes.Validation,
                        "Plaintext: the string is not valid base64. A string passed to -Plaintext is base64 of the bytes to encrypt; to encrypt text as UTF-8, use -PlaintextString. " + HowToPass, member);
                string shown = compact.Length > 12 ? compact.Substring(0, 12) + "..." : compact;
                throw new KmsException(KmsErrorCodes.Validation, $"{member}: the string '{shown}' is not valid base64. {HowToPass}", member);
            }
        }
    }
}
