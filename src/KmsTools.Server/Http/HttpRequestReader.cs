using System;
using System.Collections.Generic;
using System.IO;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace KmsTools.Server.Http
{
    /// <summary>
    /// Reads HTTP/1.1 requests from one connection, one after another (keep-alive). Everything is bounded: the head
    /// by <see cref="KmsServerLimits.MaxHeaderBytes"/>, the body by <see cref="KmsServerLimits.MaxBodyBytes"/> (declared
    /// by Content-Length before it is read), and each phase by its own timeout, so a client that sends slowly or never
    /// finishes costs a connection for that long and no more.
    /// </summary>
    internal sealed class HttpRequestReader
    {
        private readonly Stream _stream;
        private readonly KmsServerLimits _limits;
        private readonly Func<Task> _sendContinue;
        private byte[] _buffer = new byte[4096];
        private int _start;
        private int _end;

        public HttpRequestReader(Stream stream, KmsServerLimits limits, Func<Task> sendContinue)
        {
            _stream = stream;
            _limits = limits;
            _sendContinue = sendContinue;
        }

        /// <summary>
        /// The next request, or null when the client closed the connection (or stayed idle past the idle timeout)
        /// between requests, which is how keep-alive connections end.
        /// </summary>
        public async Task<HttpRequest> ReadAsync(CancellationToken stopping)
        {
            int headEnd;
            bool idle = _start == _end;
            {
                CancellationTokenSource phase = StartPhase(idle ? _limits.IdleTimeout : _limits.HeaderTimeout, stopping);
                while ((headEnd = FindHeadEnd()) < 0)
                {
                    if (_end - _start >= _limits.MaxHeaderBytes)
                        throw new HttpProtocolException(431, $"The request head is over {_limits.MaxHeaderBytes} bytes.");
                    int read = await FillAsync(phase.Token, idle).ConfigureAwait(false);
                    if (read == 0)
                    {
                        if (_start == _end) return null;
                        throw new HttpProtocolException(400, "The connection closed in the middle of a request head.");
                    }
                    if (idle)
                    {
                        // The first byte of a request: from here the head has the header timeout, counted from now.
                        idle = false;
                        phase.CancelAfter(_limits.HeaderTimeout);
                    }
                }
            }

            string head = Encoding.ASCII.GetString(_buffer, _start, headEnd - _start);
            _start = headEnd + 4;
            string[] lines = head.Split(new[] { "\r\n" }, StringSplitOptions.None);
            string[] requestLine = lines[0].Split(' ');
            if (requestLine.Length != 3 || !requestLine[2].StartsWith("HTTP/1.", StringComparison.Ordinal))
                throw new HttpProtocolException(400, "The request line is not 'METHOD target HTTP/1.x'.");
            var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            for (int i = 1; i < lines.Length; i++)
            {
                int colon = lines[i].IndexOf(':');
                if (colon <= 0 || lines[i][0] == ' ' || lines[i][0] == '\t')
                    throw new HttpProtocolException(400, "A header line is not 'Name: value'.");
                string name = lines[i].Substring(0, colon).Trim();
                string value = lines[i].Substring(colon + 1).Trim();
                headers[name] = headers.TryGetValue(name, out string earlier) ? earlier + ", " + value : value;
            }

            if (headers.ContainsKey("Transfer-Encoding"))
                throw new HttpProtocolException(411, "Chunked request bodies are not accepted; send Content-Length, as the AWS SDKs do.");
            long length = 0;
            if (headers.TryGetValue("Content-Length", out string declared) &&
                (!long.TryParse(declared, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out length)))
                throw new HttpProtocolException(400, $"Content-Length '{declared}' is not a number of bytes.");
            if (length > _limits.MaxBodyBytes)
                throw new HttpProtocolException(413, $"The request body is {length} bytes; KMS requests are at most {_limits.MaxBodyBytes}.");

            if (length > 0 && headers.TryGetValue("Expect", out string expect) && expect.Equals("100-continue", StringComparison.OrdinalIgnoreCase))
                await _sendContinue().ConfigureAwait(false);

            byte[] body = new byte[length];
            int copied = 0;
            {
                CancellationTokenSource phase = StartPhase(_limits.BodyTimeout, stopping);
                while (copied < length)
                {
                    if (_start == _end && await FillAsync(phase.Token, idle: false).ConfigureAwait(false) == 0)
                        throw new HttpProtocolException(400, $"The connection closed after {copied} of {length} body bytes.");
                    int take = (int)Math.Min(length - copied, _end - _start);
                    Buffer.BlockCopy(_buffer, _start, body, copied, take);
                    // The buffer may hold a plaintext's base64 (Encrypt): clear what has been copied out.
                    Array.Clear(_buffer, _start, take);
                    _start += take;
                    copied += take;
                }
            }
            return new HttpRequest(requestLine[0], requestLine[1], requestLine[2], headers, body);
        }

        /// <summary>Clears what is left in the buffer when the connection ends.</summary>
        public void Clear()
        {
            Array.Clear(_buffer, 0, _buffer.Length);
            _phase?.Dispose();
        }

        private CancellationTokenSource _phase;

        /// <summary>
        /// The timeout of the phase that starts now (idle, head, body), linked to the server's stop. One source per
        /// connection, reset between phases where the runtime allows: a new one per phase costs every request two.
        /// </summary>
        private CancellationTokenSource StartPhase(TimeSpan timeout, CancellationToken stopping)
        {
#if NETFRAMEWORK
            _phase?.Dispose();
            _phase = CancellationTokenSource.CreateLinkedTokenSource(stopping);
#else
            if (_phase == null || !_phase.TryReset())
            {
                _phase?.Dispose();
                _phase = CancellationTokenSource.CreateLinkedTokenSource(stopping);
            }
#endif
            _phase.CancelAfter(timeout);
            return _phase;
        }

        private int FindHeadEnd()
        {
            for (int i = _start; i + 3 < _end; i++)
                if (_buffer[i] == '\r' && _buffer[i + 1] == '\n' && _buffer[i + 2] == '\r' && _buffer[i + 3] == '\n')
                    return i;
            return -1;
        }

        private async Task<int> FillAsync(CancellationToken timeout, bool idle)
        {
            if (_start > 0)
            {
                Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
                Array.Clear(_buffer, _end - _start, _start);
                _end -= _start;
                _start = 0;
            }
            if (_end == _buffer.Length)
            {
                var larger = new byte[Math.Min(_buffer.Length * 2, _limits.MaxHeaderBytes + 4)];
                Buffer.BlockCopy(_buffer, 0, larger, 0, _end);
                Array.Clear(_buffer, 0, _buffer.Length);
                _buffer = larger;
            }
            try
            {
#if NETFRAMEWORK
                // .NET Framework's socket streams ignore cancellation: the read is raced against the timeout instead,
                // and left pending when it loses (the connection is answered 408 and closed, which ends it).
                Task<int> reading = _stream.ReadAsync(_buffer, _end, _buffer.Length - _end);
                var expired = new TaskCompletionSource<bool>();
                using (timeout.Register(() => expired.TrySetResult(true)))
                {
                    if (await Task.WhenAny(reading, expired.Task).ConfigureAwait(false) != reading)
                    {
                        _ = reading.ContinueWith(t => t.Exception, TaskContinuationOptions.OnlyOnFaulted);
                        throw new OperationCanceledException(timeout);
                    }
                }
                int read = await reading.ConfigureAwait(false);
                _end += read;
                return read;
#else
                int read = await _stream.ReadAsync(_buffer.AsMemory(_end, _buffer.Length - _end), timeout).ConfigureAwait(false);
                _end += read;
                return read;
#endif
            }
            catch (Exception e) when (timeout.IsCancellationRequested && (e is OperationCanceledException || e is IOException || e is ObjectDisposedException))
            {
                if (idle) return 0;
                throw new HttpTimeoutException();
            }
        }
    }

    /// <summary>A client that started a request and did not finish it in time: answered 408 where the connection still allows.</summary>
    internal sealed class HttpTimeoutException : Exception
    {
        public HttpTimeoutException() : base("The client did not send the whole request in time.") { }
    }
}
