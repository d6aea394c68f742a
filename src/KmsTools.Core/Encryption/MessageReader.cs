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

        private byte[] _unread;
        private int _unreadAt, _unreadLength;

        public void ReadExactly(byte[] buffer, int offset, int count)
        {
            int done = TakeUnread(buffer, offset, count);
            done += Fill(_input, buffer, offset + done, count - done);
            if (done < count) throw MessageErrors.Truncated(Part, Position + done);
            Position += count;
            Digest?.AppendData(buffer, offset, count);
            Capture?.Write(buffer, offset, count);
        }

        /// <summary>
        /// Reads up to <paramref name="count"/> bytes, fewer only at the end of the input: a batch of whole frames in one
        /// read, with no copy through a stream buffer. The bytes are not hashed or captured; what the caller reads too
        /// far (the start of the footer) it gives back with <see cref="Unread"/>.
        /// </summary>
        public int ReadUpTo(byte[] buffer, int offset, int count)
        {
            int done = TakeUnread(buffer, offset, count);
            done += Fill(_input, buffer, offset + done, count - done);
            Position += done;
            return done;
        }

        /// <summary>Reads from <paramref name="input"/> until <paramref name="count"/> bytes are in or the input ends; how many came.</summary>
        internal static int Fill(Stream input, byte[] buffer, int offset, int count)
        {
            int total = 0;
            while (total < count)
            {
                int n = input.Read(buffer, offset + total, count - total);
                if (n <= 0) break;
                total += n;
            }
            return total;
        }

        /// <summary>Gives back bytes read too far: the next reads return them first.</summary>
        public void Unread(byte[] buffer, int offset, int count)
        {
            if (count == 0) return;
            var kept = new byte[count + _unreadLength];
            Buffer.BlockCopy(buffer, offset, kept, 0, count);
            if (_unreadLength > 0) Buffer.BlockCopy(_unread, _unreadAt, kept, count, _unreadLength);
            _unread = kept;
            _unreadAt = 0;
            _unreadLength = kept.Length;
            Position -= count;
        }

        private int TakeUnread(byte[] buffer, int offset, int count)
        {
            if (_unreadLength == 0) return 0;
            int take = Math.Min(count, _unreadLength);
            Buffer.BlockCopy(_unread, _unreadAt, buffer, offset, take);
            _unreadAt += take;
            _unreadLength -= take;
            return take;
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
            if (_unreadLength > 0) return false;
            int n = _input.Read(_small, 0, 1);
            return n <= 0;
        }
    }
}
