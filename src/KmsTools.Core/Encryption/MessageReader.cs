using System;
using System.IO;
using System.Security.Cryptography;

namespace KmsTools.Encryption
{
    /// <summary>
    /// Reads a message's bytes in order, exactly as many as each field needs, and hands every byte read to the
    /// signature hash (a signed message's footer signs everything before it). The end of the input inside a field is
    /// an error that says which part of the message was cut short.
    /// </summary>
    internal sealed class MessageReader
    {
        private readonly Stream _input;
        private readonly byte[] _small = new byte[8];

        public MessageReader(Stream input)
        {
            _input = input;
        }

        /// <summary>Sees every byte read, in order (the signature's hash), once set.</summary>
        public IncrementalHash Digest { get; set; }

        /// <summary>Where the bytes of the header body are copied while it is read (its serialization authenticates it).</summary>
        public MemoryStream Capture { get; set; }

        private string _part = "the header";
        private uint _frame;

        /// <summary>What is being read, for the error when the input ends: "the header", "frame 3", "the footer".</summary>
        public string Part
        {
            get => _part ?? "frame " + _frame;
            set => _part = value;
        }

        /// <summary>Frame <paramref name="sequence"/> is being read (its name is made only if the input ends in it).</summary>
        public void AtFrame(uint sequence)
        {
            _part = null;
            _frame = sequence;
        }

        public long Position { get; private set; }

        public void ReadExactly(byte[] buffer, int offset, int count)
        {
            int done = 0;
            while (done < count)
            {
                int n = _input.Read(buffer, offset + done, count - done);
                if (n <= 0) throw MessageErrors.Truncated(Part, Position + done);
                done += n;
            }
            Position += count;
            Digest?.AppendData(buffer, offset, count);
            Capture?.Write(buffer, offset, count);
        }

        public byte[] ReadBytes(int count)
        {
            var bytes = new byte[count];
            ReadExactly(bytes, 0, count);
            return bytes;
        }

        public byte ReadByte()
        {
            ReadExactly(_small, 0, 1);
            return _small[0];
        }

        public int ReadUInt16()
        {
            ReadExactly(_small, 0, 2);
            return _small[0] << 8 | _small[1];
        }

        public uint ReadUInt32()
        {
            ReadExactly(_small, 0, 4);
            return MessageFormat.GetUInt32(_small, 0);
        }

        public ulong ReadUInt64()
        {
            ReadExactly(_small, 0, 8);
            return (ulong)MessageFormat.GetUInt32(_small, 0) << 32 | MessageFormat.GetUInt32(_small, 4);
        }

        /// <summary>True when the input has no byte left (nothing may follow a message).</summary>
        public bool AtEnd()
        {
            int n = _input.Read(_small, 0, 1);
            return n <= 0;
        }
    }
}
