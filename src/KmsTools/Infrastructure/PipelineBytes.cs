using System;
using System.IO;
using System.Management.Automation;
using System.Text;
using KmsTools.Crypto;

namespace KmsTools.Infrastructure
{
    /// <summary>
    /// The bytes of a whole pipeline, gathered for one message as Protect-CmsMessage gathers its input: byte arrays
    /// (Get-Content -AsByteStream -Raw), single bytes (Get-Content -AsByteStream), streams, and text (UTF-8, consecutive
    /// strings joined by newlines, as lines of Get-Content were). Unprotect's side takes base64 text instead, whose
    /// lines are joined with nothing between them. The buffer is zeroed on Dispose: it may hold a plaintext.
    /// </summary>
    internal sealed class PipelineBytes : IDisposable
    {
        // Grown by hand, not a MemoryStream, so that every outgrown array is zeroed before it is let go.
        private byte[] _buffer = new byte[4096];
        private int _length;
        private readonly StringBuilder _base64 = new StringBuilder();
        private readonly bool _textIsBase64;
        private bool _lastWasText;

        public PipelineBytes(bool textIsBase64)
        {
            _textIsBase64 = textIsBase64;
        }

        /// <summary>A stream given as the only input, read as it is rather than copied (constant memory).</summary>
        public Stream OnlyStream { get; private set; }

        private int _items;

        /// <summary>Whether an item could not be added: what was gathered is then not all of the input, and must not be used.</summary>
        public bool Spoiled { get; private set; }

        /// <summary>Adds one pipeline item; when it throws, <see cref="Spoiled"/> says so from then on.</summary>
        public void Add(object item, string member)
        {
            try
            {
                AddItem(item, member);
            }
            catch
            {
                Spoiled = true;
                throw;
            }
        }

        private void AddItem(object item, string member)
        {
            object raw = item is PSObject wrapped ? wrapped.BaseObject : item;
            _items++;
            if (!(raw is Stream) && OnlyStream != null) CopyStream();
            switch (raw)
            {
                case null:
                    return;
                case byte[] bytes:
                    FlushBase64();
                    Append(bytes, 0, bytes.Length);
                    _lastWasText = false;
                    return;
                case byte single:
                    FlushBase64();
                    Append(new[] { single }, 0, 1);
                    _lastWasText = false;
                    return;
                case string text when _textIsBase64:
                    _base64.Append(text);
                    return;
                case string text:
                    if (_lastWasText) Append(new[] { (byte)'\n' }, 0, 1);
                    byte[] utf8 = Encoding.UTF8.GetBytes(text);
                    Append(utf8, 0, utf8.Length);
                    SecureBytes.Clear(utf8);
                    _lastWasText = true;
                    return;
                case Stream stream:
                    FlushBase64();
                    if (_items == 1) OnlyStream = stream;
                    else AppendStream(stream);
                    _lastWasText = false;
                    return;
                default:
                    if (raw is object[] values)
                    {
                        byte[] fromValues = BlobArgument.ToBytes(values, member);
                        Append(fromValues, 0, fromValues.Length);
                        return;
                    }
                    throw new KmsException(KmsErrorCodes.Validation, _textIsBase64
                        ? $"{member}: a {raw.GetType().Name} is not a message. Pipe its bytes (a byte[], Get-Content -AsByteStream -Raw), a stream, or its base64 text."
                        : $"{member}: a {raw.GetType().Name} is not data to encrypt. Pipe bytes (Get-Content -AsByteStream -Raw), text, or a stream; for a file, use Protect-KmsFile.", member);
            }
        }

        /// <summary>Everything gathered, as a stream to read once.</summary>
        public Stream Open(string member)
        {
            if (OnlyStream != null) return OnlyStream;
            FlushBase64(member);
            return new MemoryStream(_buffer, 0, _length, writable: false);
        }

        public long Length => OnlyStream != null ? -1 : _length;

        /// <summary>Takes everything in (a stream given as the only input, base64 text not yet decoded), so that the length is known.</summary>
        public void ReadAllIn(string member)
        {
            if (OnlyStream != null) CopyStream();
            FlushBase64(member);
        }

        private void CopyStream()
        {
            Stream stream = OnlyStream;
            OnlyStream = null;
            AppendStream(stream);
        }

        private void AppendStream(Stream stream)
        {
            var chunk = new byte[81920];
            try
            {
                int n;
                while ((n = stream.Read(chunk, 0, chunk.Length)) > 0) Append(chunk, 0, n);
            }
            finally
            {
                SecureBytes.Clear(chunk);
            }
        }

        private void Append(byte[] bytes, int offset, int count)
        {
            if ((long)_length + count > int.MaxValue - 64)
                throw new KmsException(KmsErrorCodes.LimitExceeded, "The pipeline's data is larger than 2 GiB; encrypt it as a file (Protect-KmsFile) or pass it as one stream.", "InputObject");
            if (_length + count > _buffer.Length)
            {
                var larger = new byte[Math.Max(_length + count, (int)Math.Min(int.MaxValue - 64, _buffer.Length * 2L))];
                Buffer.BlockCopy(_buffer, 0, larger, 0, _length);
                SecureBytes.Clear(_buffer);
                _buffer = larger;
            }
            Buffer.BlockCopy(bytes, offset, _buffer, _length, count);
            _length += count;
        }

        private void FlushBase64(string member = "InputObject")
        {
            if (_base64.Length == 0) return;
            string compact = _base64.ToString();
            _base64.Clear();
            byte[] bytes;
            try
            {
                bytes = Convert.FromBase64String(compact.Trim());
            }
            catch (FormatException)
            {
                throw new KmsException(KmsErrorCodes.Validation, $"{member}: the text is not base64 of a message; pipe the message's bytes, or its base64.", member);
            }
            Append(bytes, 0, bytes.Length);
        }

        public void Dispose()
        {
            SecureBytes.Clear(_buffer);
        }
    }
}
