using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;

namespace KmsTools.Encryption
{
    /// <summary>
    /// A message header (data-format/message-header.md), version 1.0 or 2.0: the suite, the message id, the encryption
    /// context, the encrypted data keys, the content type and frame length, the commit key (version 2) and the header
    /// authentication (the IV of version 1, and the tag). <see cref="Body"/> keeps the exact bytes of the header body,
    /// which the header tag authenticates and the signature covers.
    /// </summary>
    public sealed class MessageHeader
    {
        public const byte FramedContent = 2;
        public const byte NonFramedContent = 1;
        private const byte CustomerAuthenticatedEncryptedData = 0x80;

        public int Version { get; private set; }
        public AlgorithmSuite Suite { get; private set; }
        public byte[] MessageId { get; private set; }
        public IReadOnlyDictionary<string, string> EncryptionContext { get; private set; }
        public IReadOnlyList<EncryptedDataKey> EncryptedDataKeys { get; private set; }
        public byte ContentType { get; private set; }
        public uint FrameLength { get; private set; }

        /// <summary>The commit key of a committing suite (version 2's algorithm suite data), else null.</summary>
        public byte[] CommitKey { get; private set; }

        /// <summary>The header IV (version 1; zeros as written by every ESDK), else null.</summary>
        public byte[] HeaderIv { get; private set; }
        public byte[] AuthenticationTag { get; private set; }

        /// <summary>The serialized header body, as read or written.</summary>
        public byte[] Body { get; private set; }

        /// <summary>The serialized header authentication (IV, for version 1, then tag).</summary>
        public byte[] Authentication { get; private set; }

        /// <summary>The header's length in bytes, body and authentication: where the message body begins.</summary>
        public int Length => Body.Length + Authentication.Length;

        public bool IsFramed => ContentType == FramedContent;

        /// <summary>A header body to encrypt under: framed content, the suite's format version.</summary>
        internal static MessageHeader Create(AlgorithmSuite suite, byte[] messageId, IDictionary<string, string> context,
            IReadOnlyList<EncryptedDataKey> keys, uint frameLength, byte[] commitKey)
        {
            var header = new MessageHeader
            {
                Version = suite.MessageFormatVersion, Suite = suite, MessageId = messageId,
                EncryptionContext = new SortedDictionary<string, string>(context ?? new Dictionary<string, string>(), StringComparer.Ordinal),
                EncryptedDataKeys = keys, ContentType = FramedContent, FrameLength = frameLength, CommitKey = commitKey,
                HeaderIv = suite.MessageFormatVersion == 1 ? new byte[AlgorithmSuite.IvLength] : null,
            };
            using (var body = new MemoryStream())
            {
                body.WriteByte((byte)header.Version);
                if (header.Version == 1) body.WriteByte(CustomerAuthenticatedEncryptedData);
                MessageFormat.WriteUInt16(body, suite.Id);
                body.Write(messageId, 0, messageId.Length);
                byte[] aad = MessageFormat.SerializeContext(context);
                MessageFormat.WriteField(body, aad);
                MessageFormat.WriteUInt16(body, keys.Count);
                foreach (EncryptedDataKey key in keys)
                {
                    MessageFormat.WriteField(body, MessageFormat.Utf8Strict.GetBytes(key.ProviderId));
                    MessageFormat.WriteField(body, key.ProviderInfo);
                    MessageFormat.WriteField(body, key.Ciphertext);
                }
                body.WriteByte(FramedContent);
                if (header.Version == 1)
                {
                    MessageFormat.WriteUInt32(body, 0); // reserved
                    body.WriteByte(AlgorithmSuite.IvLength);
                }
                MessageFormat.WriteUInt32(body, frameLength);
                if (header.Version == 2) body.Write(commitKey, 0, commitKey.Length);
                header.Body = body.ToArray();
            }
            return header;
        }

        internal void SetAuthenticationTag(byte[] tag) => SetAuthentication(tag);

        private void SetAuthentication(byte[] tag)
        {
            AuthenticationTag = tag;
            Authentication = HeaderIv == null ? tag : HeaderIv.Concat(tag).ToArray();
        }

        /// <summary>
        /// Reads a header, refusing at once (before reading the keys) a count of encrypted data keys over
        /// <paramref name="maxEncryptedDataKeys"/>. The header is not yet authenticated: that needs the data key.
        /// </summary>
        internal static MessageHeader Read(MessageReader reader, int maxEncryptedDataKeys)
        {
            var header = new MessageHeader();
            var body = new MemoryStream();
            reader.Part = "the header";
            reader.Capture = body;
            try
            {
                header.Version = reader.ReadByte();
                if (header.Version != 1 && header.Version != 2)
                    throw MessageErrors.Malformed("the header", header.Version == 0x41 || header.Version == 0x59
                        ? $"its first byte is 0x{header.Version:X2}, which looks like base64 text: decode it first (a message is binary)."
                        : $"its version byte is 0x{header.Version:X2}; AWS Encryption SDK messages are versions 1 and 2 (0x01, 0x02).");
                if (header.Version == 1)
                {
                    byte type = reader.ReadByte();
                    if (type != CustomerAuthenticatedEncryptedData) throw MessageErrors.Malformed("the header", $"its type is 0x{type:X2}, not 0x80.");
                }
                ushort suiteId = (ushort)reader.ReadUInt16();
                if (!AlgorithmSuite.ById.TryGetValue(suiteId, out AlgorithmSuite suite))
                    throw MessageErrors.Malformed("the header", $"its algorithm suite 0x{suiteId:X4} is not an AWS Encryption SDK suite.");
                if (suite.MessageFormatVersion != header.Version)
                    throw MessageErrors.Malformed("the header", $"the suite {suite.Name} belongs to message format version {suite.MessageFormatVersion}, not {header.Version}.");
                header.Suite = suite;
                header.MessageId = reader.ReadBytes(header.Version == 1 ? 16 : 32);
                header.EncryptionContext = ReadContext(reader);
                header.EncryptedDataKeys = ReadDataKeys(reader, maxEncryptedDataKeys);
                header.ContentType = reader.ReadByte();
                if (header.ContentType != FramedContent && header.ContentType != NonFramedContent)
                    throw MessageErrors.Malformed("the header", $"its content type is 0x{header.ContentType:X2}; 0x01 (non-framed) and 0x02 (framed) are defined.");
                if (header.Version == 1)
                {
                    if (reader.ReadUInt32() != 0) throw MessageErrors.Malformed("the header", "its reserved field is not zero.");
                    byte ivLength = reader.ReadByte();
                    if (ivLength != AlgorithmSuite.IvLength) throw MessageErrors.Malformed("the header", $"its IV length is {ivLength}, not the suite's {AlgorithmSuite.IvLength}.");
                }
                header.FrameLength = reader.ReadUInt32();
                if (header.IsFramed && header.FrameLength == 0) throw MessageErrors.Malformed("the header", "its content is framed with a frame length of 0.");
                if (!header.IsFramed && header.FrameLength != 0) throw MessageErrors.Malformed("the header", "its content is not framed, yet it gives a frame length.");
                if (header.Version == 2 && suite.SuiteDataLength > 0) header.CommitKey = reader.ReadBytes(suite.SuiteDataLength);
                header.Body = body.ToArray();
            }
            finally
            {
                reader.Capture = null;
            }
            if (header.Version == 1) header.HeaderIv = reader.ReadBytes(AlgorithmSuite.IvLength);
            header.SetAuthentication(reader.ReadBytes(AlgorithmSuite.TagLength));
            return header;
        }

        private static IReadOnlyDictionary<string, string> ReadContext(MessageReader reader)
        {
            int length = reader.ReadUInt16();
            var context = new SortedDictionary<string, string>(StringComparer.Ordinal);
            if (length == 0) return context;
            byte[] bytes = reader.ReadBytes(length);
            int at = 0;
            int count = Take16(bytes, ref at, length);
            if (count == 0) throw MessageErrors.Malformed("the encryption context", "it has bytes but no pairs.");
            for (int i = 0; i < count; i++)
            {
                string key = TakeText(bytes, ref at, length), value = TakeText(bytes, ref at, length);
                if (context.ContainsKey(key)) throw MessageErrors.Malformed("the encryption context", $"the key '{key}' appears twice.");
                context[key] = value;
            }
            if (at != length) throw MessageErrors.Malformed("the encryption context", $"{length - at} bytes follow its last pair.");
            return context;
        }

        private static int Take16(byte[] bytes, ref int at, int length)
        {
            if (at + 2 > length) throw MessageErrors.Malformed("the encryption context", "a length runs past its end.");
            int value = bytes[at] << 8 | bytes[at + 1];
            at += 2;
            return value;
        }

        private static string TakeText(byte[] bytes, ref int at, int length)
        {
            int size = Take16(bytes, ref at, length);
            if (at + size > length) throw MessageErrors.Malformed("the encryption context", "a key or value runs past its end.");
            try
            {
                return MessageFormat.Utf8Strict.GetString(bytes, at, size);
            }
            catch (System.Text.DecoderFallbackException)
            {
                throw MessageErrors.Malformed("the encryption context", "a key or value is not UTF-8.");
            }
            finally
            {
                at += size;
            }
        }

        private static IReadOnlyList<EncryptedDataKey> ReadDataKeys(MessageReader reader, int max)
        {
            int count = reader.ReadUInt16();
            if (count == 0) throw MessageErrors.Malformed("the header", "it has no encrypted data key.");
            if (max > 0 && count > max) throw MessageErrors.TooManyDataKeys(count, max);
            var keys = new List<EncryptedDataKey>(count);
            for (int i = 0; i < count; i++)
            {
                byte[] provider = reader.ReadBytes(reader.ReadUInt16());
                string providerId;
                try
                {
                    providerId = MessageFormat.Utf8Strict.GetString(provider);
                }
                catch (System.Text.DecoderFallbackException)
                {
                    throw MessageErrors.Malformed("the header", $"the provider id of encrypted data key {i + 1} is not UTF-8.");
                }
                byte[] info = reader.ReadBytes(reader.ReadUInt16());
                byte[] ciphertext = reader.ReadBytes(reader.ReadUInt16());
                keys.Add(new EncryptedDataKey(providerId, info, ciphertext));
            }
            return keys;
        }
    }
}
