#if NET
using System;
using System.IO;
using System.Linq;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;

namespace KmsTools.Remote
{
    /// <summary>
    /// Reads each answer whole, with the read timeout applied to every wait for data (the headers, then each chunk of
    /// the body, as botocore's socket timeout is), a size cap, and, for a 2xx answer, the check of its shape. The SDK
    /// then unmarshals the buffered copy. Without this, the SDK's HttpClient timeout stops at the headers: a server
    /// that sends headers and then stalls would hang the call for as long as it likes, and a 300 MB body would be
    /// read into memory.
    /// </summary>
    internal sealed class BoundedResponseHandler : DelegatingHandler
    {
        /// <summary>The largest answer read: KMS's largest (a page of 1,000 keys) is under 200 KB.</summary>
        internal const int MaxResponseBytes = 4 * 1024 * 1024;
        private const string TargetPrefix = "TrentService.";
        private readonly TimeSpan _readTimeout;
        private readonly TimeSpan _headersTimeout;

        /// <param name="connectTimeout">
        /// The wait for the headers includes the connect, which the connect callback bounds itself; so that a slow
        /// connect is reported as what it is, that wait gets both timeouts.
        /// </param>
        public BoundedResponseHandler(HttpMessageHandler inner, TimeSpan connectTimeout, TimeSpan readTimeout) : base(inner)
        {
            _readTimeout = readTimeout;
            _headersTimeout = connectTimeout == System.Threading.Timeout.InfiniteTimeSpan || readTimeout == System.Threading.Timeout.InfiniteTimeSpan
                ? System.Threading.Timeout.InfiniteTimeSpan
                : connectTimeout + readTimeout;
        }

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            HttpResponseMessage response = null;
            try
            {
                deadline.CancelAfter(_headersTimeout);
                response = await base.SendAsync(request, deadline.Token).ConfigureAwait(false);
                byte[] body = await ReadBody(response, deadline).ConfigureAwait(false);
                if (response.IsSuccessStatusCode && request.Headers.TryGetValues("X-Amz-Target", out var targets))
                {
                    string target = targets.FirstOrDefault() ?? string.Empty;
                    if (target.StartsWith(TargetPrefix, StringComparison.Ordinal))
                    {
                        string operation = target.Substring(TargetPrefix.Length);
                        string problem = ResponseShape.Problem(operation, body);
                        if (problem != null)
                            throw new MalformedResponseException($"HTTP {(int)response.StatusCode} with a body that is not a {operation} response: {problem}");
                    }
                }
                var buffered = new ByteArrayContent(body);
                foreach (var header in response.Content.Headers) buffered.Headers.TryAddWithoutValidation(header.Key, header.Value);
                response.Content.Dispose();
                response.Content = buffered;
                return response;
            }
            catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                response?.Dispose();
                throw new ReadTimeoutException(_readTimeout);
            }
            catch
            {
                response?.Dispose();
                throw;
            }
        }

        private async Task<byte[]> ReadBody(HttpResponseMessage response, CancellationTokenSource deadline)
        {
            long? declared = response.Content.Headers.ContentLength;
            if (declared > MaxResponseBytes) throw TooLarge(response, declared.Value);
            using Stream stream = await response.Content.ReadAsStreamAsync(deadline.Token).ConfigureAwait(false);
            using var copy = new MemoryStream(declared > 0 ? (int)declared.Value : 4096);
            byte[] chunk = new byte[16384];
            try
            {
                while (true)
                {
                    deadline.CancelAfter(_readTimeout);
                    int read = await stream.ReadAsync(chunk, deadline.Token).ConfigureAwait(false);
                    if (read == 0) break;
                    if (copy.Length + read > MaxResponseBytes) throw TooLarge(response, null);
                    copy.Write(chunk, 0, read);
                }
                return copy.ToArray();
            }
            finally
            {
                // A Decrypt or GenerateDataKey answer holds a plaintext (as base64): the intermediate copies are wiped.
                Array.Clear(chunk, 0, chunk.Length);
                Array.Clear(copy.GetBuffer(), 0, (int)copy.Length);
            }
        }

        private static MalformedResponseException TooLarge(HttpResponseMessage response, long? declared) =>
            new MalformedResponseException($"HTTP {(int)response.StatusCode} with a body of {(declared.HasValue ? declared.Value + " bytes" : "more bytes")} than the {MaxResponseBytes / (1024 * 1024)} MiB any KMS answer fits in");
    }
}
#endif
