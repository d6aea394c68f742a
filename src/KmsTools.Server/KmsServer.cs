using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using KmsTools.Local;
using KmsTools.Server.Http;

namespace KmsTools.Server
{
    /// <summary>
    /// The local engine behind the KMS wire protocol, on a TCP port: HTTP/1.1 with keep-alive, requests answered on
    /// the thread pool (as many at once as there are connections), every read bounded in size and time. It serves
    /// the same store the cmdlets use, through the same locks, so cmdlets and the server can share one store.
    /// </summary>
    public sealed class KmsServer : IDisposable
    {
        private static readonly Encoding Ascii = Encoding.ASCII;
        private readonly KmsServerOptions _options;
        private readonly ConcurrentDictionary<string, LocalKmsBackend> _backends = new ConcurrentDictionary<string, LocalKmsBackend>(StringComparer.Ordinal);
        private readonly ConcurrentDictionary<long, Connection> _connections = new ConcurrentDictionary<long, Connection>();
        private readonly CancellationTokenSource _stopping = new CancellationTokenSource();
        // Requests in progress are given the drain timeout to finish; only then is their work (RSA generation) abandoned.
        private readonly CancellationTokenSource _abandon = new CancellationTokenSource();
        private readonly KmsProtocol _protocol;
        private readonly Func<string, string, LocalKmsBackend> _newBackend;
        private TcpListener _listener;
        private Task _acceptLoop;
        private long _nextConnection;
        private long _requestCount;
        private int _active;
        private int _stopped;

        public KmsServer(KmsServerOptions options)
        {
            _options = options ?? throw new ArgumentNullException(nameof(options));
            // The default region's backend is made now, so that a store that cannot be used fails Start, not the first request.
            Default = LocalKmsOptions.Resolve(options.Region, options.Home, options.AccountId);
            _newBackend = NewBackend;
            foreach (KeyValuePair<string, string> mapping in options.Principals ?? new Dictionary<string, string>())
                if (!KeyPolicy.IsCallerPrincipal(mapping.Value))
                    throw new KmsException(KmsErrorCodes.Validation,
                        $"The principal '{mapping.Value}' of access key id '{mapping.Key}' is not an IAM principal ARN such as arn:aws:iam::111122223333:role/app.", "Principal");
            _protocol = new KmsProtocol(BackendFor, Default.Region, options.Signatures);
            BackendFor(Default.Region, null);
        }

        /// <summary>The store, account and default region (requests with no SigV4 scope get this region).</summary>
        public LocalKmsOptions Default { get; }

        public IPAddress Address { get; private set; }
        public int Port { get; private set; }
        public Uri Url { get; private set; }
        public DateTime StartTime { get; private set; }
        public long RequestCount => Interlocked.Read(ref _requestCount);
        public int ActiveRequests => Volatile.Read(ref _active);
        public bool RequiresSignature => _options.Signatures != null;
        public bool IsRunning => _acceptLoop != null && Volatile.Read(ref _stopped) == 0;

        /// <summary>Raised after each answered request, on the thread that answered it; handlers must be quick.</summary>
        public event Action<KmsRequestRecord> RequestCompleted;

        /// <summary>Starts listening (port 0: a free port, then in <see cref="Port"/>).</summary>
        public void Start()
        {
            if (_acceptLoop != null) throw new InvalidOperationException("The server is already started.");
            _listener = new TcpListener(_options.Address, _options.Port);
            try
            {
                _listener.Start(512);
            }
            catch (SocketException e)
            {
                throw new KmsException(KmsErrorCodes.KMSInternal, e.SocketErrorCode == SocketError.AddressAlreadyInUse
                    ? $"Port {_options.Port} on {_options.Address} is in use; choose another with -Port, or -Port 0 for a free one."
                    : $"Cannot listen on {_options.Address} port {_options.Port}: {e.Message}", "Port", e);
            }
            var local = (IPEndPoint)_listener.LocalEndpoint;
            Address = local.Address;
            Port = local.Port;
            string host = local.Address.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{local.Address}]" : local.Address.ToString();
            Url = new Uri($"http://{host}:{Port}/");
            StartTime = DateTime.UtcNow;
            _acceptLoop = Task.Run(AcceptLoopAsync);
        }

        /// <summary>
        /// Stops accepting, closes idle connections, waits (up to the drain timeout) for the requests in progress to be
        /// answered, then closes the rest. A request that was answered has done all its writes: none is lost.
        /// </summary>
        public void Stop()
        {
            if (Interlocked.Exchange(ref _stopped, 1) == 1) return;
            // Cancelled first, so that the accept loop sees why its accept failed and ends.
            _stopping.Cancel();
            try { _listener?.Stop(); } catch (SocketException) { }
            var deadline = Stopwatch.StartNew();
            while (Volatile.Read(ref _active) > 0 && deadline.Elapsed < _options.Limits.DrainTimeout) Thread.Sleep(10);
            _abandon.Cancel();
            foreach (Connection connection in _connections.Values) connection.Close();
            try { _acceptLoop?.Wait(TimeSpan.FromSeconds(5)); } catch (AggregateException) { }
            foreach (LocalKmsBackend backend in _backends.Values) backend.Dispose();
            _backends.Clear();
        }

        public void Dispose() => Stop();

        // Every request asks for its region's backend: the factory is made once, not a closure per request.
        /// <summary>The backend of a region and of the principal an access key id acts for: one per pair, made on first use.</summary>
        private IKmsBackend BackendFor(string region, string accessKeyId)
        {
            string principal = null;
            if (accessKeyId != null && _options.Principals != null) _options.Principals.TryGetValue(accessKeyId, out principal);
            principal = principal ?? Default.CallerPrincipal;
            return _backends.GetOrAdd(region + "\n" + principal, _ => _newBackend(region, principal));
        }

        private LocalKmsBackend NewBackend(string region, string principal) =>
            new LocalKmsBackend(new LocalKmsOptions { Home = Default.Home, AccountId = Default.AccountId, Region = region, CallerPrincipal = principal });

        private async Task AcceptLoopAsync()
        {
            while (!_stopping.IsCancellationRequested)
            {
                TcpClient client;
                try
                {
                    client = await _listener.AcceptTcpClientAsync().ConfigureAwait(false);
                }
                catch (Exception e) when (e is SocketException || e is ObjectDisposedException || e is InvalidOperationException)
                {
                    if (_stopping.IsCancellationRequested) return;
                    continue; // a connection that failed while being accepted is that client's problem, not the server's
                }
                client.NoDelay = true;
                var connection = new Connection(Interlocked.Increment(ref _nextConnection), client);
                _connections[connection.Id] = connection;
                _ = Task.Run(() => ServeAsync(connection));
            }
        }

        private async Task ServeAsync(Connection connection)
        {
            NetworkStream stream = connection.Client.GetStream();
            var reader = new HttpRequestReader(stream, _options.Limits, () => WriteAsync(stream, Ascii.GetBytes("HTTP/1.1 100 Continue\r\n\r\n")));
            try
            {
                while (!_stopping.IsCancellationRequested)
                {
                    HttpRequest request;
                    try
                    {
                        request = await reader.ReadAsync(_stopping.Token).ConfigureAwait(false);
                    }
                    catch (HttpProtocolException e)
                    {
                        await AnswerUnreadableAsync(stream, e.Status, e.Message).ConfigureAwait(false);
                        return;
                    }
                    catch (HttpTimeoutException e)
                    {
                        await AnswerUnreadableAsync(stream, 408, e.Message).ConfigureAwait(false);
                        return;
                    }
                    if (request == null) return;
                    Interlocked.Increment(ref _active);
                    bool keepAlive;
                    try
                    {
                        keepAlive = request.KeepAlive && !_stopping.IsCancellationRequested;
                        await AnswerAsync(stream, request, keepAlive).ConfigureAwait(false);
                    }
                    finally
                    {
                        Array.Clear(request.Body, 0, request.Body.Length);
                        Interlocked.Decrement(ref _active);
                    }
                    if (!keepAlive) return;
                }
            }
            catch (Exception e) when (e is IOException || e is SocketException || e is ObjectDisposedException)
            {
                // The client went away (or the server closed the connection while stopping): nothing to answer.
            }
            finally
            {
                reader.Clear();
                _connections.TryRemove(connection.Id, out _);
                connection.Close();
            }
        }

        private async Task AnswerAsync(Stream stream, HttpRequest request, bool keepAlive)
        {
            var clock = Stopwatch.StartNew();
            var record = new KmsRequestRecord { Time = DateTime.UtcNow, RequestId = Guid.NewGuid().ToString("D") };
            KmsAnswer answer;
            try
            {
                answer = _protocol.Handle(request, record, _abandon.Token);
            }
            catch (Exception e)
            {
                // A fault of the engine, not of the request: the client gets KMS's internal error, without details
                // (they could name a path of the store), and the server goes on.
                answer = KmsProtocol.Internal(e);
            }
            // Counted before it is sent: a client that has its answer sees it in RequestCount.
            Interlocked.Increment(ref _requestCount);
            try
            {
                await WriteResponseAsync(stream, answer.Status, answer.Body, record.RequestId, keepAlive).ConfigureAwait(false);
            }
            finally
            {
                Array.Clear(answer.Body.Array, 0, answer.Body.Array.Length);
                record.StatusCode = answer.Status;
                record.ErrorCode = answer.ErrorCode;
                record.Milliseconds = clock.Elapsed.TotalMilliseconds;
                RequestCompleted?.Invoke(record);
            }
        }

        private async Task AnswerUnreadableAsync(Stream stream, int status, string message)
        {
            KmsAnswer answer = KmsProtocol.Error(status, "BadRequest", message);
            var record = new KmsRequestRecord { Time = DateTime.UtcNow, RequestId = Guid.NewGuid().ToString("D"), StatusCode = status, ErrorCode = answer.ErrorCode };
            Interlocked.Increment(ref _requestCount);
            try
            {
                await WriteResponseAsync(stream, status, answer.Body, record.RequestId, keepAlive: false).ConfigureAwait(false);
            }
            catch (Exception e) when (e is IOException || e is SocketException || e is ObjectDisposedException)
            {
                // A client that stopped sending may have stopped reading too.
            }
            RequestCompleted?.Invoke(record);
        }

        private static async Task WriteResponseAsync(Stream stream, int status, ArraySegment<byte> body, string requestId, bool keepAlive)
        {
            string head = $"HTTP/1.1 {status} {Reason(status)}\r\n" +
                          $"Content-Type: {KmsProtocol.ContentType}\r\n" +
                          $"Content-Length: {body.Count}\r\n" +
                          $"x-amzn-RequestId: {requestId}\r\n" +
                          $"Date: {DateTime.UtcNow:R}\r\n" +
                          (keepAlive ? string.Empty : "Connection: close\r\n") +
                          "\r\n";
            byte[] headBytes = Ascii.GetBytes(head);
            // One write for head and body: two small writes on a keep-alive connection would wait for Nagle and delayed ACKs.
            byte[] whole = new byte[headBytes.Length + body.Count];
            Buffer.BlockCopy(headBytes, 0, whole, 0, headBytes.Length);
            Buffer.BlockCopy(body.Array, body.Offset, whole, headBytes.Length, body.Count);
            try
            {
                await WriteAsync(stream, whole).ConfigureAwait(false);
            }
            finally
            {
                Array.Clear(whole, 0, whole.Length);
            }
        }

        private static Task WriteAsync(Stream stream, byte[] bytes) => stream.WriteAsync(bytes, 0, bytes.Length);

        private static string Reason(int status)
        {
            switch (status)
            {
                case 200: return "OK";
                case 400: return "Bad Request";
                case 404: return "Not Found";
                case 405: return "Method Not Allowed";
                case 408: return "Request Timeout";
                case 411: return "Length Required";
                case 403: return "Forbidden";
                case 413: return "Content Too Large";
                case 431: return "Request Header Fields Too Large";
                case 500: return "Internal Server Error";
                case 503: return "Service Unavailable";
                default: return "Status";
            }
        }

        private sealed class Connection
        {
            public Connection(long id, TcpClient client)
            {
                Id = id;
                Client = client;
            }

            public long Id { get; }
            public TcpClient Client { get; }

            /// <summary>
            /// Ends the connection gracefully: FIN after what was written, then close. A bare close of a socket with a read
            /// pending (a keep-alive connection waiting for its next request) reset it on Mono, and the reset made the
            /// client drop an answer it had not read yet, the last one a stopping server sent.
            /// </summary>
            public void Close()
            {
                // Client.Client is null once the connection's own loop has closed it: then there is nothing to end.
                try { Client.Client?.Shutdown(SocketShutdown.Send); } catch (SocketException) { } catch (ObjectDisposedException) { } catch (InvalidOperationException) { }
                try { Client.Close(); } catch (SocketException) { } catch (ObjectDisposedException) { }
            }
        }
    }
}
