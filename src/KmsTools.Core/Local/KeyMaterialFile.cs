using System;
using System.Collections.Generic;
using System.IO;
using KmsTools.Crypto;

namespace KmsTools.Local
{
    /// <summary>
    /// The secret half of a key (keys/&lt;key-id&gt;.key, owner-only): a binary file so that material is read into
    /// byte arrays that can be zeroed, never into immutable strings. Layout: "KTKM", version byte 1, then entries of
    /// 32-byte key material id, big-endian uint16 length, material bytes. Rotation appends an entry.
    /// </summary>
    internal static class KeyMaterialFile
    {
        private static readonly byte[] Magic = { 0x4B, 0x54, 0x4B, 0x4D };
        private const byte Version = 1;

        public static byte[] Serialize(IList<KeyValuePair<string, byte[]>> materials)
        {
            int length = Magic.Length + 1;
            foreach (var m in materials) length += 32 + 2 + m.Value.Length;
            var buffer = new byte[length];
            Buffer.BlockCopy(Magic, 0, buffer, 0, Magic.Length);
            int offset = Magic.Length;
            buffer[offset++] = Version;
            foreach (var m in materials)
            {
                Hex.Decode(m.Key, buffer, offset, 32);
                offset += 32;
                buffer[offset++] = (byte)(m.Value.Length >> 8);
                buffer[offset++] = (byte)m.Value.Length;
                Buffer.BlockCopy(m.Value, 0, buffer, offset, m.Value.Length);
                offset += m.Value.Length;
            }
            return buffer;
        }

        /// <summary>
        /// Reads the material with the given id, or null when the file has no such entry; a null id reads the newest
        /// entry (an asymmetric or HMAC key has one material, whose id KMS does not report). The caller zeroes it.
        /// </summary>
        public static byte[] Read(string path, string keyMaterialId)
        {
            List<KeyValuePair<string, byte[]>> all = ReadAll(path);
            byte[] found = null;
            for (int i = 0; i < all.Count; i++)
            {
                bool wanted = keyMaterialId == null ? i == all.Count - 1 : all[i].Key == keyMaterialId;
                if (wanted) found = all[i].Value;
                else SecureBytes.Clear(all[i].Value);
            }
            return found;
        }

        /// <summary>Every entry, in file order (oldest first). The caller zeroes the materials.</summary>
        public static List<KeyValuePair<string, byte[]>> ReadAll(string path)
        {
            byte[] content;
            try
            {
                content = File.ReadAllBytes(path);
            }
            catch (FileNotFoundException)
            {
                throw KeyStore.Damaged(path, "the key material file is missing");
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                throw KeyStore.Unusable(path, "read", e);
            }
            var entries = new List<KeyValuePair<string, byte[]>>();
            try
            {
                if (content.Length < Magic.Length + 1 || content[0] != Magic[0] || content[1] != Magic[1] ||
                    content[2] != Magic[2] || content[3] != Magic[3] || content[4] != Version)
                    throw KeyStore.Damaged(path, "it is not a KmsTools key material file");
                int offset = Magic.Length + 1;
                while (offset < content.Length)
                {
                    if (offset + 34 > content.Length) throw KeyStore.Damaged(path, "the file is truncated");
                    string id = Hex.ToLower(content, offset, 32);
                    int length = (content[offset + 32] << 8) | content[offset + 33];
                    offset += 34;
                    if (offset + length > content.Length) throw KeyStore.Damaged(path, "the file is truncated");
                    var material = new byte[length];
                    Buffer.BlockCopy(content, offset, material, 0, length);
                    entries.Add(new KeyValuePair<string, byte[]>(id, material));
                    offset += length;
                }
                return entries;
            }
            catch
            {
                foreach (var entry in entries) SecureBytes.Clear(entry.Value);
                throw;
            }
            finally
            {
                SecureBytes.Clear(content);
            }
        }
    }
}
