using System;
using System.IO;
using System.Linq;
using System.Management.Automation;

namespace KmsTools.Infrastructure
{
    /// <summary>
    /// Reads a blob parameter: a byte[], a file (Get-Item; regular files only, read no further than the member's
    /// limit), an array of byte values (what ConvertFrom-Json makes of a byte[]), or, for ciphertexts only, a base64
    /// string. A plaintext or message string is refused: a word such as "password" is also valid base64, so reading
    /// strings as base64 would encrypt or sign garbage without a word; text goes to -PlaintextString or -MessageString.
    /// Anything else is a ValidationException for that pipeline item, saying how to pass a blob.
    /// </summary>
    internal static class BlobArgument
    {
        /// <summary>
        /// The most of a file read for a blob: ten times the largest KMS blob (a 6144-byte ciphertext), so that a file a
        /// little too long still gets KMS's own length error, and a huge one is refused unread.
        /// </summary>
        public const int MaxFileBytes = 64 * 1024;

        public static byte[] ToBytes(object value, string member)
        {
            object raw = value is PSObject wrapped ? wrapped.BaseObject : value;
            switch (raw)
            {
                case null:
                    return null;
                case byte[] bytes:
                    return bytes;
                case string _ when member == "Plaintext" || member == "Message":
                    // Never echo a plaintext or a message, not even part of it.
                    throw new KmsException(KmsErrorCodes.Validation,
                        $"{member}: a string is not taken as bytes. For text as UTF-8, use -{member}String; for base64, pass [Convert]::FromBase64String($text). " + HowToPass, member);
                case string text:
                    return FromBase64(text, member);
                case FileInfo file:
                    return ReadFile(value, file, member, MaxFileBytes);
                case object[] items:
                    return FromByteValues(items, member);
                default:
                    throw new KmsException(KmsErrorCodes.Validation,
                        $"{member}: a {raw.GetType().Name} is not a blob. {HowToPass}", member);
            }
        }

        private const string HowToPass =
            "Pass a byte[] (for example [IO.File]::ReadAllBytes($path)), a file (Get-Item blob.bin), or for a ciphertext its base64 string (the ...Base64 property of a KmsTools result).";

        /// <summary>
        /// A regular file's bytes, read no further than one byte past the limit: /dev/zero, a FIFO or a 300 MB file is
        /// refused before it is read whole (or, for a FIFO, before waiting for a writer forever).
        /// </summary>
        private static byte[] ReadFile(object item, FileInfo file, string member, int maxLength)
        {
            try
            {
                if (!InputFiles.IsRegularFile(item, file))
                    throw new KmsException(KmsErrorCodes.Validation, $"{member}: '{file.FullName}' is not a regular file.", member);
                if (file.Length > maxLength)
                    throw new KmsException(KmsErrorCodes.Validation,
                        $"{member}: the file '{file.FullName}' has {file.Length} bytes; at most {maxLength} are allowed.", member);
                // A device reports no length: the bounded read is what stops /dev/zero.
                return InputFiles.ReadAtMost(file.FullName, maxLength, member);
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                throw new KmsException(KmsErrorCodes.Validation, $"{member}: the file '{file.FullName}' cannot be read: {e.Message}", member);
            }
        }

        private static byte[] FromByteValues(object[] items, string member)
        {
            var bytes = new byte[items.Length];
            for (int i = 0; i < items.Length; i++)
            {
                object item = items[i] is PSObject p ? p.BaseObject : items[i];
                long? number = item is byte || item is sbyte || item is short || item is ushort || item is int || item is uint || item is long
                    ? Convert.ToInt64(item, System.Globalization.CultureInfo.InvariantCulture) : (long?)null;
                if (number == null || number < 0 || number > 255)
                    throw new KmsException(KmsErrorCodes.Validation,
                        $"{member}: an array is a blob only when every element is a byte value (0 to 255); element {i} is not. {HowToPass}", member);
                bytes[i] = (byte)number.Value;
            }
            return bytes;
        }

        private static byte[] FromBase64(string text, string member)
        {
            string compact = new string(text.Where(c => !char.IsWhiteSpace(c)).ToArray());
            try
            {
                return Convert.FromBase64String(compact);
            }
            catch (FormatException)
            {
                string shown = compact.Length > 12 ? compact.Substring(0, 12) + "..." : compact;
                throw new KmsException(KmsErrorCodes.Validation, $"{member}: the string '{shown}' is not valid base64. {HowToPass}", member);
            }
        }
    }
}
