#if NET
using System;
using System.Linq;
using System.Net.Http;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Threading;
using System.Threading.Tasks;
using Amazon.Runtime;

namespace KmsTools.Remote
{
    /// <summary>
    /// The HTTP client of every remote call on PowerShell 7: the aws CLI's connect and read timeouts (60 s each unless
    /// -CliConnectTimeout/-CliReadTimeout say otherwise), --no-verify-ssl and --ca-bundle, and answers read whole
    /// under a size cap (<see cref="BoundedResponseHandler"/>). Windows PowerShell's SDK sends through HttpWebRequest
    /// and has no such hook (see <see cref="RemoteKmsBackend"/>).
    /// </summary>
    internal sealed class KmsHttpClientFactory : HttpClientFactory
    {
        private readonly RemoteKmsOptions _options;
        private readonly X509Certificate2Collection _trustedRoots;

        public KmsHttpClientFactory(RemoteKmsOptions options)
        {
            _options = options;
            if (options.CaBundle != null)
            {
                _trustedRoots = new X509Certificate2Collection();
                try
                {
                    _trustedRoots.Import(options.CaBundle);
                }
                catch (Exception e) when (e is System.Security.Cryptography.CryptographicException || e is System.IO.IOException)
                {
                    throw new KmsException("SSLError", $"The CA bundle '{options.CaBundle}' cannot be read: {e.Message}", "CaBundle", e);
                }
            }
        }

        private TimeSpan ConnectTimeout => _options.EffectiveConnectTimeout;
        private TimeSpan ReadTimeout => _options.EffectiveReadTimeout;

        public override HttpClient CreateHttpClient(IClientConfig clientConfig)
        {
            var sockets = new SocketsHttpHandler { ConnectCallback = Connect };
            if (_options.NoVerifySsl || _trustedRoots != null) sockets.SslOptions.RemoteCertificateValidationCallback = Validate;
            // The handler times every read; the client's own timeout would only cut in at the headers, with a
            // TaskCanceledException that says nothing.
            return new HttpClient(new BoundedResponseHandler(sockets, ConnectTimeout, ReadTimeout)) { Timeout = System.Threading.Timeout.InfiniteTimeSpan };
        }

        public override bool UseSDKHttpClientCaching(IClientConfig clientConfig) => false;

        public override bool DisposeHttpClientsAfterUse(IClientConfig clientConfig) => false;

        public override string GetConfigUniqueString(IClientConfig clientConfig) =>
            "KmsTools:" + _options.NoVerifySsl + ":" + _options.CaBundle + ":" + ConnectTimeout + ":" + ReadTimeout;

        /// <summary>A TCP connect that gives up after the connect timeout with an error that says so.</summary>
        private async ValueTask<System.IO.Stream> Connect(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
        {
            var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            deadline.CancelAfter(ConnectTimeout);
            try
            {
                await socket.ConnectAsync(context.DnsEndPoint, deadline.Token).ConfigureAwait(false);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                socket.Dispose();
                throw new ConnectTimeoutException(ConnectTimeout);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }

        private bool Validate(object sender, X509Certificate certificate, X509Chain chain, SslPolicyErrors errors)
        {
            if (_options.NoVerifySsl) return true;
            if (errors == SslPolicyErrors.None) return true;
            if (_trustedRoots == null || certificate == null || (errors & SslPolicyErrors.RemoteCertificateNameMismatch) != 0) return false;
            // Trust the bundle's certificates as roots: build the chain with them and require it to end at one.
            using (var custom = new X509Chain())
            {
                custom.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
                custom.ChainPolicy.VerificationFlags = X509VerificationFlags.AllowUnknownCertificateAuthority;
                custom.ChainPolicy.ExtraStore.AddRange(_trustedRoots);
                if (!custom.Build(new X509Certificate2(certificate))) return false;
                X509Certificate2 root = custom.ChainElements[custom.ChainElements.Count - 1].Certificate;
                return _trustedRoots.Cast<X509Certificate2>().Any(c => c.Thumbprint == root.Thumbprint);
            }
        }
    }
}
#endif
