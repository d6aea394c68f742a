using System;
using System.Management.Automation;
using System.Threading;
using KmsTools.Infrastructure;

namespace KmsTools.Commands
{
    /// <summary>
    /// What every KmsTools cmdlet shares: the AWS CLI's options (global ones, -CliInputJson, -GenerateCliSkeleton,
    /// -Output, -Query), the backend's lifetime (one per invocation, disposed on every exit path) and the stop token.
    /// The request pipeline is in KmsCmdlet.Operations.cs; the CLI's output in <see cref="CliResult"/>; the backend's
    /// trace in <see cref="BackendTrace"/>; items computed ahead in <see cref="AheadQueue"/>.
    /// </summary>
    public abstract partial class KmsCmdlet : PSCmdlet, IDisposable
    {
        private static int _openBackends;
        private readonly CancellationTokenSource _stopping = new CancellationTokenSource();
        private readonly AheadQueue _ahead = new AheadQueue();
        private IKmsBackend _backend;
        private BackendTrace _trace;
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

        /// <summary>Items computed ahead (RSA pairs) and neither written nor discarded yet, process-wide (for tests).</summary>
        public static int PendingAheadItems => AheadQueue.Live;

        /// <summary>Key materials the local engine holds in memory, not yet zeroed, process-wide (for tests).</summary>
        public static int LiveKeyMaterials => Local.LocalKmsBackend.LiveKeyMaterials;

        protected override void EndProcessing()
        {
            DeliverAhead(0);
            ReleaseBackend();
        }

        /// <summary>Ctrl+C or StopPipeline: calls in flight (the network, RSA generation) end now, not when they are done.</summary>
        protected override void StopProcessing() => _stopping.Cancel();

        /// <summary>
        /// Every exit path ends here, EndProcessing or not (PowerShell skips it when a pipeline stops early, on
        /// -ErrorAction Stop, on Select-Object -First): work computed ahead is cancelled and its secrets zeroed,
        /// the backend (with its cache of key material) disposed.
        /// </summary>
        public void Dispose()
        {
            if (_disposed) return;
            _disposed = true;
            _stopping.Cancel();
            _ahead.Dispose();
            ReleaseBackend();
            _stopping.Dispose();
        }

        private void ReleaseBackend()
        {
            IKmsBackend backend = _backend;
            _backend = null;
            if (backend == null) return;
            (backend as IDisposable)?.Dispose();
            Interlocked.Decrement(ref _openBackends);
        }

        /// <summary>A JSON document of the operation's request members (--cli-input-json), or file://path to one. Parameters given on the command line override its members.</summary>
        [Parameter(Mandatory = true, ParameterSetName = CliInputJsonSet)]
        public string CliInputJson { get; set; }

        /// <summary>Prints the operation's request (input) or response (output) skeleton as JSON and calls nothing (--generate-cli-skeleton).</summary>
        [Parameter(Mandatory = true, ParameterSetName = SkeletonSet)]
        [ValidateSet("input", "output")]
        public string GenerateCliSkeleton { get; set; }

        /// <summary>Emit what the AWS CLI would print (--output json, text, table or yaml) instead of objects.</summary>
        [Parameter]
        [ValidateSet("json", "text", "table", "yaml")]
        public string Output { get; set; }

        /// <summary>A JMESPath expression applied to the response's JSON form (--query); the result is emitted as objects, or in the -Output format.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string Query { get; set; }

        internal const string ParametersSet = "Parameters";
        internal const string CliInputJsonSet = "CliInputJson";
        internal const string SkeletonSet = "GenerateCliSkeleton";
        private bool _skeletonWritten;

        private bool WantsCliOutput => CliResult.Wanted(Output, Query);

        /// <summary>Where the next page starts, or null on the last page (a page says Truncated when there is more).</summary>
        internal static string NextPage(bool? truncated, string nextMarker) => truncated == true ? nextMarker : null;

        /// <summary>ShouldProcess, except that printing a skeleton changes nothing and so asks nothing.</summary>
        internal bool ShouldChange(string target, string action) => GenerateCliSkeleton != null || ShouldProcess(target, action);
    }
}
