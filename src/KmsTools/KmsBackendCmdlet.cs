using System;
using System.Management.Automation;
using System.Threading;
using KmsTools.Infrastructure;

namespace KmsTools.Commands
{
    /// <summary>
    /// What every cmdlet that talks to a KMS shares: the options that choose and reach the backend (the aws CLI's
    /// global options), the backend's lifetime (made on first use, once per invocation, disposed on every exit path)
    /// and the stop token. <see cref="KmsCmdlet"/> adds the CLI emulation for the cmdlets of KMS operations; the
    /// file and data cmdlets of the Encryption SDK format derive from this class directly, since they are no KMS
    /// operation and make no KMS call at all when a public key is all they need.
    /// </summary>
    public abstract class KmsBackendCmdlet : PSCmdlet, IDisposable
    {
        private static int _openBackends;
        private protected readonly CancellationTokenSource _stopping = new CancellationTokenSource();
        private IKmsBackend _backend;
        private protected BackendTrace _trace;
        private bool _disposed;

        /// <summary>The AWS Region (--region). Default: $env:AWS_REGION, $env:AWS_DEFAULT_REGION, the profile's region, else us-east-1.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(RegionCompleter))]
        public string Region { get; set; }

        /// <summary>A named profile of the AWS config and credentials files (--profile). Default: $env:AWS_PROFILE.</summary>
        [Parameter]
        [Alias("ProfileName")]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(ProfileCompleter))]
        public string Profile { get; set; }

        /// <summary>A KMS endpoint to send requests to (--endpoint-url); choosing one selects the remote backend.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string EndpointUrl { get; set; }

        /// <summary>Local (the embedded engine) or Remote (AWS KMS or -EndpointUrl). Default: $env:KMSTOOLS_BACKEND, else remote only when an endpoint is configured.</summary>
        [Parameter]
        [ValidateSet("Local", "Remote")]
        public string Backend { get; set; }

        /// <summary>Do not verify the endpoint's TLS certificate (--no-verify-ssl).</summary>
        [Parameter]
        public SwitchParameter NoVerifySsl { get; set; }

        /// <summary>A PEM file of CA certificates to trust for the endpoint (--ca-bundle). Default: $env:AWS_CA_BUNDLE.</summary>
        [Parameter]
        public string CaBundle { get; set; }

        /// <summary>Seconds to wait for data from the endpoint (--cli-read-timeout); 60 by default, 0 waits forever.</summary>
        [Parameter]
        [ValidateRange(0, int.MaxValue)]
        public int? CliReadTimeout { get; set; }

        /// <summary>Seconds to wait for a connection (--cli-connect-timeout); 60 by default, 0 waits forever.</summary>
        [Parameter]
        [ValidateRange(0, int.MaxValue)]
        public int? CliConnectTimeout { get; set; }

        /// <summary>Send requests unsigned (--no-sign-request).</summary>
        [Parameter]
        public SwitchParameter NoSignRequest { get; set; }

        /// <summary>The backend this invocation talks to, made once per invocation (not per pipeline item).</summary>
        internal IKmsBackend KmsBackend
        {
            get
            {
                if (_backend == null)
                {
                    _backend = BackendSelector.Create(new BackendSettings
                    {
                        Region = Region, Profile = Profile, EndpointUrl = EndpointUrl, Backend = Backend,
                        NoVerifySsl = NoVerifySsl, CaBundle = CaBundle, ReadTimeoutSeconds = CliReadTimeout,
                        ConnectTimeoutSeconds = CliConnectTimeout, NoSignRequest = NoSignRequest, Trace = (_trace = new BackendTrace(WriteDebug)).Write,
                    });
                    Interlocked.Increment(ref _openBackends);
                    Verbose("Using the " + _backend.Description + ".");
                }
                return _backend;
            }
        }

        /// <summary>
        /// WriteVerbose, except under -Debug without -Verbose: PowerShell 7 then sets the verbose preference of a compiled
        /// cmdlet to Inquire, so every verbose line would prompt (and fail when non-interactive). The lines go to the debug
        /// stream instead, which -Debug shows without asking.
        /// </summary>
        internal void Verbose(string message)
        {
            if (MyInvocation.BoundParameters.ContainsKey("Debug") && !MyInvocation.BoundParameters.ContainsKey("Verbose")) WriteDebug(message);
            else WriteVerbose(message);
        }

        /// <summary>Cancelled when the pipeline stops (Ctrl+C, Select-Object -First, a terminating error): every backend call gets it.</summary>
        internal CancellationToken StopToken => _stopping.Token;

        /// <summary>Backends made by cmdlets of this process and not yet disposed (for tests of every exit path).</summary>
        public static int OpenBackends => Volatile.Read(ref _openBackends);

        protected override void EndProcessing() => ReleaseBackend();

        /// <summary>Ctrl+C or StopPipeline: calls in flight (the network, RSA generation, a file being read) end now, not when they are done.</summary>
        protected override void StopProcessing() => _stopping.Cancel();

        /// <summary>
        /// Every exit path ends here, EndProcessing or not (PowerShell skips it when a pipeline stops early, on
        /// -ErrorAction Stop, on Select-Object -First): <see cref="ReleaseResources"/>, then the backend (with its
        /// cache of key material) disposed.
        /// </summary>
        public void Dispose()
        {
            if (_disposed) return;
            _disposed = true;
            _stopping.Cancel();
            ReleaseResources();
            ReleaseBackend();
            _stopping.Dispose();
        }

        /// <summary>What a derived cmdlet holds beyond the backend (work computed ahead, a temporary file), released on every exit path.</summary>
        protected virtual void ReleaseResources()
        {
        }

        private protected void ReleaseBackend()
        {
            IKmsBackend backend = _backend;
            _backend = null;
            if (backend == null) return;
            (backend as IDisposable)?.Dispose();
            Interlocked.Decrement(ref _openBackends);
        }
    }
}
