using System;
using System.Collections;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Management.Automation;
using System.Linq;
using System.Threading;
using KmsTools.Cli;
using KmsTools.Infrastructure;

namespace KmsTools.Commands
{
    /// <summary>
    /// What every KmsTools cmdlet shares: the AWS CLI's global options, choosing the backend, running one KMS
    /// operation per pipeline item, and turning KMS errors into ErrorRecords whose id is the KMS error name.
    /// </summary>
    public abstract class KmsCmdlet : PSCmdlet, IDisposable
    {
        private static int _openBackends;
        private readonly CancellationTokenSource _stopping = new CancellationTokenSource();
        private readonly AheadQueue _ahead = new AheadQueue();
        private readonly ConcurrentQueue<string> _offThreadTraces = new ConcurrentQueue<string>();
        private IKmsBackend _backend;
        private int _pipelineThread;
        private bool _disposed;

        /// <summary>The AWS Region (--region). Default: $env:AWS_REGION, $env:AWS_DEFAULT_REGION, the profile's region, else us-east-1.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string Region { get; set; }

        /// <summary>A named profile of the AWS config and credentials files (--profile). Default: $env:AWS_PROFILE.</summary>
        [Parameter]
        [Alias("ProfileName")]
        [ValidateNotNullOrEmpty]
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

        /// <summary>Seconds to wait for a response (--cli-read-timeout); 0 waits forever.</summary>
        [Parameter]
        [ValidateRange(0, int.MaxValue)]
        public int? CliReadTimeout { get; set; }

        /// <summary>Seconds to wait for a connection (--cli-connect-timeout); 0 waits forever.</summary>
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
                        ConnectTimeoutSeconds = CliConnectTimeout, NoSignRequest = NoSignRequest, Trace = Trace,
                    });
                    _pipelineThread = Thread.CurrentThread.ManagedThreadId;
                    Interlocked.Increment(ref _openBackends);
                    WriteVerbose("Using the " + _backend.Description + ".");
                }
                return _backend;
            }
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

        private bool WantsCliOutput => Output != null || Query != null;

        /// <summary>Where the next page starts, or null on the last page (a page says Truncated when there is more).</summary>
        internal static string NextPage(bool? truncated, string nextMarker) => truncated == true ? nextMarker : null;

        /// <summary>ShouldProcess, except that printing a skeleton changes nothing and so asks nothing.</summary>
        internal bool ShouldChange(string target, string action) => GenerateCliSkeleton != null || ShouldProcess(target, action);

        /// <summary>
        /// Runs one KMS operation for the current pipeline item: builds the request (merged over -CliInputJson), calls
        /// the backend, and writes the result as objects or, with -Output/-Query, as the CLI would print it.
        /// A KMS error becomes a non-terminating error for this item only, with <paramref name="target"/> (the
        /// offending input) as its target, and the pipeline goes on. -GenerateCliSkeleton prints and calls nothing.
        /// When <paramref name="aheadWhen"/> says so for the built request (seconds of work, such as RSA pairs), the
        /// call runs on another core while the pipeline delivers the next items; results keep their input order.
        /// </summary>
        internal void Invoke<TRequest, TResponse>(string operation, object target, Func<TRequest> build,
            Func<TRequest, TResponse> call, Func<TResponse, object> emit = null, Func<TRequest, bool> aheadWhen = null)
            where TRequest : class where TResponse : class
        {
            if (GenerateCliSkeleton != null)
            {
                DeliverAhead(0);
                if (!_skeletonWritten) WriteObject(CliModel.Skeleton(operation, GenerateCliSkeleton));
                _skeletonWritten = true;
                return;
            }
            TRequest request;
            try
            {
                request = BuildRequest(operation, build);
                if (aheadWhen != null && emit == null && !WantsCliOutput && aheadWhen(request))
                {
                    StartAhead(operation, target, request, call);
                    return;
                }
            }
            catch (KmsException e)
            {
                DeliverAhead(0);
                WriteKmsError(e, target);
                return;
            }
            DeliverAhead(0);
            try
            {
                TResponse response = Call(operation, request, call);
                if (response == null) return;
                if (WantsCliOutput) WriteCliOutput(operation, CliDocument.FromResponse(response));
                else if (!(response is Model.IEmptyResponse)) WriteObject(emit == null ? response : emit(response));
            }
            catch (KmsException e)
            {
                WriteKmsError(e, target);
            }
        }

        /// <summary>The backend call of this item on another core; at most one item per core is ahead at any time.</summary>
        private void StartAhead<TRequest, TResponse>(string operation, object target, TRequest request, Func<TRequest, TResponse> call)
            where TRequest : class where TResponse : class
        {
            TraceRequest(operation, request);
            // The bound parameters change with the next item: this item's error target is taken from a copy.
            var bound = new Dictionary<string, object>(MyInvocation.BoundParameters, StringComparer.OrdinalIgnoreCase);
            _ahead.Add(() => call(request),
                response =>
                {
                    TraceResponse(operation, response);
                    WriteObject(response);
                },
                e => WriteKmsError(e, target, bound),
                Redaction.ZeroSecrets);
            DeliverAhead(Environment.ProcessorCount);
        }

        /// <summary>
        /// Runs a KMS list operation page after page (all pages, as the AWS CLI does unless -NoPaginate) and writes each
        /// item; with -Output/-Query the pages are merged into one response first, as the CLI's paginator does.
        /// </summary>
        internal void RunPaged<TRequest, TPage, TItem>(string operation, object target, Func<string, TRequest> build,
            Func<TRequest, TPage> call, Func<TPage, (IEnumerable<TItem> Items, string NextMarker)> split,
            string marker = null, bool singlePage = false, Action<TItem> write = null) where TRequest : class where TPage : class
        {
            if (GenerateCliSkeleton != null)
            {
                Invoke(operation, target, () => build(null), call);
                return;
            }
            CliDocument merged = null;
            try
            {
                do
                {
                    TRequest request = BuildRequest(operation, () => build(marker));
                    TPage page = Call(operation, request, call);
                    var (items, next) = split(page);
                    if (WantsCliOutput)
                    {
                        if (merged == null) merged = CliDocument.FromResponse(page);
                        else merged.AddPage(CliDocument.FromResponse(page));
                    }
                    else
                        foreach (TItem item in items)
                        {
                            if (write != null) write(item);
                            else WriteObject(item);
                        }
                    marker = next;
                    if (singlePage && marker != null)
                    {
                        WriteVerbose($"{operation}: more results; pass -Marker '{marker}' for the next page.");
                        break;
                    }
                }
                while (marker != null);
                if (merged != null)
                {
                    if (!singlePage) merged.RemovePaging();
                    WriteCliOutput(operation, merged);
                }
            }
            catch (KmsException e)
            {
                WriteKmsError(e, target);
            }
        }

        private TRequest BuildRequest<TRequest>(string operation, Func<TRequest> build) where TRequest : class
        {
            TRequest request = build();
            if (CliInputJson != null)
                request = CliModel.Merge(CliModel.ReadInput<TRequest>(operation, CliInputJson), request);
            return request;
        }

        private TResponse Call<TRequest, TResponse>(string operation, TRequest request, Func<TRequest, TResponse> call)
            where TResponse : class
        {
            TraceRequest(operation, request);
            TResponse response = null;
            Stopped(() => response = call(request));
            TraceResponse(operation, response);
            return response;
        }

        private void TraceRequest(string operation, object request)
        {
            WriteVerbose($"{operation}: calling the {KmsBackend.Description}.");
            WriteDebug($"{operation} request: {Redaction.Describe(request)}");
        }

        private void TraceResponse(string operation, object response)
        {
            FlushOffThreadTraces();
            if (response != null) WriteDebug($"{operation} response: {Redaction.Describe(response)}");
        }

        /// <summary>
        /// The backend's own trace (the remote backend's wire steps). Calls computed ahead run on other threads,
        /// where PowerShell refuses WriteDebug: their lines wait and are written with the item's outcome.
        /// </summary>
        private void Trace(string message)
        {
            if (Thread.CurrentThread.ManagedThreadId == _pipelineThread) WriteDebug(message);
            else _offThreadTraces.Enqueue(message);
        }

        private void FlushOffThreadTraces()
        {
            while (_offThreadTraces.TryDequeue(out string message)) WriteDebug(message);
        }

        private void WriteKmsError(KmsException error, object target, IDictionary<string, object> boundParameters = null)
        {
            FlushOffThreadTraces();
            WriteError(KmsErrorRecords.Create(error, ErrorTargets.For(error, target, boundParameters ?? MyInvocation.BoundParameters)));
        }

        /// <summary>Writes the outcomes of items computed ahead, oldest first, until at most <paramref name="keep"/> remain.</summary>
        private void DeliverAhead(int keep) => Stopped(() => _ahead.DeliverUntil(keep));

        /// <summary>A backend call cancelled because the pipeline is stopping ends the pipeline, as PowerShell expects.</summary>
        private void Stopped(Action call)
        {
            try
            {
                call();
            }
            catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
            {
                throw new PipelineStoppedException();
            }
        }

        private void WriteCliOutput(string operation, CliDocument document)
        {
            if (Query != null) document = document.Query(Query);
            if (Output != null)
            {
                // Without its final newline: the host adds one, so Set-Content writes exactly what the CLI prints.
                string text = document.Format(Output, operation);
                if (text.Length > 0) WriteObject(text.EndsWith("\n") ? text.Substring(0, text.Length - 1) : text);
            }
            else
            {
                WriteObject(ToPowerShell(document.ToPlain()), enumerateCollection: true);
            }
        }

        /// <summary>A JMESPath result as PowerShell objects: objects become PSCustomObjects, arrays arrays, scalars themselves.</summary>
        private static object ToPowerShell(object value)
        {
            switch (value)
            {
                case List<KeyValuePair<string, object>> members:
                    var result = new PSObject();
                    foreach (var member in members) result.Properties.Add(new PSNoteProperty(member.Key, ToPowerShell(member.Value)));
                    return result;
                case object[] items:
                    return items.Select(ToPowerShell).ToArray();
                default:
                    return value;
            }
        }


    }
}

namespace KmsTools.Commands
{
    /// <summary>The cmdlets over KMS list operations that need no key (ListKeys, ListAliases): all pages by default, as the AWS CLI does.</summary>
    public abstract class KmsListCmdlet : KmsCmdlet
    {
        /// <summary>Only the first page (--no-paginate); -Verbose says where the next one starts.</summary>
        [Parameter]
        public SwitchParameter NoPaginate { get; set; }
    }

    /// <summary>The cmdlets over KMS list operations of one key (ListKeyRotations, ListResourceTags): -KeyId as every key cmdlet has it, all pages by default.</summary>
    public abstract class KmsKeyListCmdlet : KmsKeyCmdlet
    {
        /// <summary>Only the first page (--no-paginate); -Verbose says where the next one starts.</summary>
        [Parameter]
        public SwitchParameter NoPaginate { get; set; }
    }
}
