using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;

namespace KmsTools.Encryption
{
    /// <summary>
    /// The message format's primitive encodings: big-endian integers, length-prefixed UTF-8, and the encryption context
    /// serialization of structures.md (a uint16 count, then the pairs sorted by the UTF-8 bytes of their keys, each key
    /// and value with a uint16 length; an empty context serializes to no bytes at all).
    /// </summary>
    public static class MessageFormat
    {
        /// <summary>The prefix the ESDK reserves for its own context keys; a caller's context may not use it.</summary>
        public const string ReservedPrefix = "aws-crypto-";

        /// <summary>The context key under which a signed message carries its verification key (a compressed point, base64).</summary>
        public const string PublicKeyContextKey = "aws-crypto-public-key";

        /// <summary>UTF-8 that refuses invalid bytes instead of replacing them: a context that does not decode is a damaged message.</summary>
        internal static readonly Encoding Utf8Strict = new UTF8Encoding(false, throwOnInvalidBytes: true);

        internal static void WriteUInt16(Stream stream, int value)
        {
            stream.WriteByte((byte)(value >> 8));
            stream.WriteByte((byte)value);
        }

        internal static void WriteUInt32(Stream stream, uint value)
        {
            stream.WriteByte((byte)(value >> 24));
            stream.WriteByte((byte)(value >> 16));
            stream.WriteByte((byte)(value >> 8));
            stream.WriteByte((byte)value);
        }

        internal static void PutUInt32(byte[] buffer, int offset, uint value)
        {
            buffer[offset] = (byte)(value >> 24);
            buffer[offset + 1] = (byte)(value >> 16);
            buffer[offset + 2] = (byte)(value >> 8);
            buffer[offset + 3] = (byte)value;
        }

        internal static void PutUInt64(byte[] buffer, int offset, ulong value)
        {
            PutUInt32(buffer, offset, (uint)(value >> 32));
            PutUInt32(buffer, offset + 4, (uint)value);
        }

        internal static uint GetUInt32(byte[] buffer, int offset) =>
            (uint)(buffer[offset] << 24 | buffer[offset + 1] << 16 | buffer[offset + 2] << 8 | buffer[offset + 3]);

        internal static void WriteField(Stream stream, byte[] bytes)
        {
            WriteUInt16(stream, bytes.Length);
            stream.Write(bytes, 0, bytes.Length);
        }

        /// <summary>The context's serialization, sorted by the UTF-8 of the keys; refused when it does not fit the header.</summary>
        public static byte[] SerializeContext(IDictionary<string, string> context)
        {
            if (context == null || context.Count == 0) return new byte[0];
            Validation.EncryptionContext("EncryptionContext", context);
            var pairs = context
                .Select(p => new KeyValuePair<byte[], byte[]>(Utf8Strict.GetBytes(p.Key), Utf8Strict.GetBytes(p.Value ?? string.Empty)))
                .OrderBy(p => p.Key, ByteOrder.Instance)
                .ToList();
            using (var stream = new MemoryStream())
            {
                WriteUInt16(stream, pairs.Count);
                foreach (var pair in pairs)
                {
                    WriteField(stream, pair.Key);
                    WriteField(stream, pair.Value);
                }
                return stream.ToArray();
            }
        }

        /// <summary>Unsigned lexicographic order of byte strings: the UTF-8 order the format sorts keys by (not UTF-16's).</summary>
        internal sealed class ByteOrder : IComparer<byte[]>
        {
            public static readonly ByteOrder Instance = new ByteOrder();

            public int Compare(byte[] x, byte[] y)
            {
                int n = Math.Min(x.Length, y.Length);
                for (int i = 0; i < n; i++)
                    if (x[i] != y[i]) return x[i] - y[i];
                return x.Length - y.Length;
            }
        }
    }
}
