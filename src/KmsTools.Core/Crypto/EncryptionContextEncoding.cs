using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;

namespace KmsTools.Crypto
{
    /// <summary>
    /// The canonical, unambiguous byte form of an encryption context that the ciphertext AAD binds:
    /// a big-endian uint32 pair count, then for each pair in ordinal key order the big-endian uint32
    /// UTF-8 length and bytes of the key, then of the value. Length prefixes make {"ab":"c"} and
    /// {"a":"bc"} differ, which plain concatenation (what the public emulators do) does not.
    /// A null context and an empty one encode alike, as KMS treats them alike.
    /// </summary>
    public static class EncryptionContextEncoding
    {
        public static byte[] Encode(IDictionary<string, string> context)
        {
            var pairs = context == null
                ? new List<KeyValuePair<string, string>>()
                : context.OrderBy(p => p.Key, StringComparer.Ordinal).ToList();
            using (var stream = new MemoryStream(4 + pairs.Sum(p => 8 + (p.Key.Length + (p.Value?.Length ?? 0)) * 3)))
            {
                WriteUInt32(stream, (uint)pairs.Count);
                foreach (var pair in pairs)
                {
                    WriteString(stream, pair.Key);
                    WriteString(stream, pair.Value ?? string.Empty);
                }
                return stream.ToArray();
            }
        }

        private static void WriteString(Stream stream, string value)
        {
            byte[] bytes = Encoding.UTF8.GetBytes(value);
            WriteUInt32(stream, (uint)bytes.Length);
            stream.Write(bytes, 0, bytes.Length);
        }

        private static void WriteUInt32(Stream stream, uint value)
        {
            stream.WriteByte((byte)(value >> 24));
            stream.WriteByte((byte)(value >> 16));
            stream.WriteByte((byte)(value >> 8));
            stream.WriteByte((byte)value);
        }
    }
}
