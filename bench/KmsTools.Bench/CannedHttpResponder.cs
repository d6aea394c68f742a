using System;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace KmsTools.Bench
{
    /// <summary>
    /// The transport's ceiling on this machine: an HTTP/1.1 keep-alive responder that reads each request (head, then
    /// Content-Length bytes) and answers with the same bytes every time, doing no KMS work at all. Driven by the same
    /// generator as the server, it shows what any server here could reach, whatever it does per request.
    /// </summary>
    internal sealed class CannedHttpResponder : IDisposable
    {
        private readonly TcpListener _listener = new TcpListener(IPAddress.Loopback, 0);
        private readonly byte[] _answer;
        private readonly CancellationTokenSource _stop = new CancellationTokenSource();

        /// <param name="body">The answer's body: a real response of the operation measured, so that the bytes moved match.</param>
        public CannedHttpResponder(string body)
        {
            byte[] payload = Encoding.UTF8.GetBytes(body);
            _answer = Encoding.ASCII.GetBytes($"HTTP/1.1 200 OK\r\nContent-Type: application/x-amz-json-1.1\r\nContent-Length: {payload.Length}\r\n\r\n");
            Array.Resize(ref _answer, _answer.Length + payload.Length);
            Buffer.BlockCopy(payload, 0, _answer, _answer.Length - payload.Length, payload.Length);
            _listener.Start(512);
            Url = new Uri($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/");
            _ = AcceptAsync();
        }

        public Uri Url { get; }

        private async Task AcceptAsync()
        {
            while (!_stop.IsCancellationRequested)
            {
                TcpClient client;
                try { client = await _listener.AcceptTcpClientAsync().ConfigureAwait(false); }
                catch (Exception e) when (e is ObjectDisposedException || e is SocketException) { return; }
                client.NoDelay = true;
                _ = ServeAsync(client);
            }
        }

        private async Task ServeAsync(TcpClient client)
        {
            using (client)
            {
                NetworkStream stream = client.GetStream();
                var buffer = new byte[64 * 1024];
                int start = 0, end = 0;
                try
                {
                    while (true)
                    {
                        int headEnd;
                        while ((headEnd = HttpHead.End(buffer, start, end)) < 0)
                        {
                            if (start > 0) { Buffer.BlockCopy(buffer, start, buffer, 0, end - start); end -= start; start = 0; }
                            int read = await stream.ReadAsync(buffer, end, buffer.Length - end).ConfigureAwait(false);
                            if (read == 0) return;
                            end += read;
                        }
                        int length = HttpHead.ContentLength(Encoding.ASCII.GetString(buffer, start, headEnd - start));
                        start = headEnd + 4;
                        while (end - start < length)
                        {
                            if (start > 0) { Buffer.BlockCopy(buffer, start, buffer, 0, end - start); end -= start; start = 0; }
                            int read = await stream.ReadAsync(buffer, end, buffer.Length - end).ConfigureAwait(false);
                            if (read == 0) return;
                            end += read;
                        }
                        start += length;
                        await stream.WriteAsync(_answer, 0, _answer.Length).ConfigureAwait(false);
                    }
                }
                catch (Exception e) when (e is System.IO.IOException || e is ObjectDisposedException || e is SocketException)
                {
                    // the generator closed its connection
                }
            }
        }

        public void Dispose()
        {
            _stop.Cancel();
            _listener.Stop();
        }
    }

    /// <summary>The little of HTTP/1.1 heads the bench's two ends read: where a head ends, and its Content-Length.</summary>
    internal static class HttpHead
    {
        /// <summary>The index of the blank line's CR LF CR LF in [start, end), or -1 while the head is incomplete.</summary>
        public static int End(byte[] buffer, int start, int end)
        {
            for (int i = start; i + 3 < end; i++)
                if (buffer[i] == '\r' && buffer[i + 1] == '\n' && buffer[i + 2] == '\r' && buffer[i + 3] == '\n') return i;
            return -1;
        }

        public static int ContentLength(string head)
        {
            int at = head.IndexOf("Content-Length:", StringComparison.OrdinalIgnoreCase);
            if (at < 0) return 0;
            int lineEnd = head.IndexOf('\r', at);
            return int.Parse(head.Substring(at + 15, (lineEnd < 0 ? head.Length : lineEnd) - at - 15).Trim(), System.Globalization.CultureInfo.InvariantCulture);
        }
    }
}
