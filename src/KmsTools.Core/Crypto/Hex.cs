using System;

namespace KmsTools.Crypto
{
    internal static class Hex
    {
        private const string Digits = "0123456789abcdef";

        public static string ToLower(byte[] bytes, int offset, int count)
        {
            var chars = new char[count * 2];
            for (int i = 0; i < count; i++)
            {
                chars[2 * i] = Digits[bytes[offset + i] >> 4];
                chars[2 * i + 1] = Digits[bytes[offset + i] & 0xF];
            }
            return new string(chars);
        }

        public static string ToLower(byte[] bytes) => ToLower(bytes, 0, bytes.Length);

        /// <summary>Writes the hex digits of <paramref name="hex"/>, skipping dashes, into <paramref name="target"/>.</summary>
        public static void Decode(string hex, byte[] target, int offset, int count)
        {
            int written = 0, high = -1;
            foreach (char c in hex)
            {
                if (c == '-') continue;
                int nibble = c >= '0' && c <= '9' ? c - '0'
                    : c >= 'a' && c <= 'f' ? c - 'a' + 10
                    : c >= 'A' && c <= 'F' ? c - 'A' + 10
                    : throw new FormatException("Not a hex digit: '" + c + "'.");
                if (high < 0) { high = nibble; continue; }
                if (written == count) throw new FormatException("Too many hex digits.");
                target[offset + written++] = (byte)((high << 4) | nibble);
                high = -1;
            }
            if (written != count || high >= 0) throw new FormatException("Wrong number of hex digits.");
        }

        public static string FormatUuid(byte[] bytes, int offset)
        {
            string hex = ToLower(bytes, offset, 16);
            return hex.Substring(0, 8) + "-" + hex.Substring(8, 4) + "-" + hex.Substring(12, 4) + "-" +
                   hex.Substring(16, 4) + "-" + hex.Substring(20);
        }
    }
}
