using System;
using System.Text;

namespace KmsTools.Encryption
{
    /// <summary>
    /// The per-frame AAD of data-format/message-body-aad.md (message id, body AAD content, sequence number, content
    /// length) and the frame IV (the sequence number, big-endian, padded on the left to 12 bytes), in buffers made once
    /// per message and refilled per frame.
    /// </summary>
    internal sealed class BodyAad
    {
        private static readonly byte[] Frame = Encoding.ASCII.GetBytes("AWSKMSEncryptionClient Frame");
        private static readonly byte[] FinalFrame = Encoding.ASCII.GetBytes("AWSKMSEncryptionClient Final Frame");
        private static readonly byte[] SingleBlock = Encoding.ASCII.GetBytes("AWSKMSEncryptionClient Single Block");

        private readonly byte[] _regular, _final, _single;
        private readonly int _idLength;

        public BodyAad(byte[] messageId)
        {
            _idLength = messageId.Length;
            _regular = Build(messageId, Frame);
            _final = Build(messageId, FinalFrame);
            _single = Build(messageId, SingleBlock);
        }

        public byte[] Iv { get; } = new byte[AlgorithmSuite.IvLength];

        public byte[] ForRegular(uint sequence, long length) => Fill(_regular, Frame.Length, sequence, length);
        public byte[] ForFinal(uint sequence, long length) => Fill(_final, FinalFrame.Length, sequence, length);
        public byte[] ForSingleBlock(long length) => Fill(_single, SingleBlock.Length, 1, length);

        /// <summary>The IV the ESDK writes for a frame: its sequence number, padded with zeros to the IV length.</summary>
        public byte[] IvFor(uint sequence)
        {
            MessageFormat.PutUInt32(Iv, AlgorithmSuite.IvLength - 4, sequence);
            return Iv;
        }

        private byte[] Fill(byte[] aad, int contentLength, uint sequence, long length)
        {
            int at = _idLength + contentLength;
            MessageFormat.PutUInt32(aad, at, sequence);
            MessageFormat.PutUInt64(aad, at + 4, (ulong)length);
            return aad;
        }

        private static byte[] Build(byte[] messageId, byte[] content)
        {
            var aad = new byte[messageId.Length + content.Length + 12];
            Buffer.BlockCopy(messageId, 0, aad, 0, messageId.Length);
            Buffer.BlockCopy(content, 0, aad, messageId.Length, content.Length);
            return aad;
        }
    }
}
