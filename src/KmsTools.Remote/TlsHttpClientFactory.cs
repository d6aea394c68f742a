#if NET
using System;
using System.Linq;
using System.Net.Http;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Amazon.Runtime;

namespace KmsTools.Remote
{
    /// <summary>
    /// HTTP clients for the CLI's transport options: --no-verify-ssl, --ca-bundle and --cli-connect-timeout.
    /// PowerShell 7 only: the AWS SDK for .NET Framework sends through HttpWebRequest and has no per-client hook
    /// (see <see cref="RemoteKmsBackend"/> for what Windows PowerShell says instead).
    /// </summary>
    internal sealed class TlsHttpClientFactory : HttpClientFactory
    {
        private readonly RemoteKmsOptions _options;
        private readonly X509Certificate2Collection _trustedRoots;

        public TlsHttpClientFactory(RemoteKmsOptions options)
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

        public override HttpClient CreateHttpClient(IClientConfig clientConfig)
        {
            bool customValidation = _options.NoVerifySsl || _trustedRoots != null;
            // Only SocketsHttpHandler has a connect timeout.
            var handler = new SocketsHttpHandler();
            if (_options.ConnectTimeout != null) handler.ConnectTimeout = _options.ConnectTimeout.Value;
            if (customValidation) handler.SslOptions.RemoteCertificateValidationCallback = Validate;
            return new HttpClient(handler);
        }

        public override bool UseSDKHttpClientCaching(IClientConfig clientConfig) => false;

        public override bool DisposeHttpClientsAfterUse(IClientConfig clientConfig) => false;

        public override string GetConfigUniqueString(IClientConfig clientConfig) => "KmsTools:" + _options.NoVerifySsl + ":" + _options.CaBundle + ":" + _options.ConnectTimeout;

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
