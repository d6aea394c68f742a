using System;
using System.Collections;
using System.Collections.Generic;
using System.Management.Automation;
using System.Linq;
using KmsTools.Cli;
using KmsTools.Infrastructure;

namespace KmsTools.Commands
{
    /// <summary>
    /// What every KmsTools cmdlet shares: the AWS CLI's global options, choosing the backend, running one KMS
    /// operation per pipeline item, and turning KMS errors into ErrorRecords whose id is the KMS error name.
    /// </summary>
    public abstract class KmsCmdlet : PSCmdlet
    {
        private IKmsBackend _backend;

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
                        ConnectTimeoutSeconds = CliConnectTimeout, NoSignRequest = NoSignRequest, Trace = WriteDebug,
                    });
                    WriteVerbose("Using the " + _backend.Description + ".");
                }
                return _backend;
            }
        }

        protected override void EndProcessing()
        {
            DrainAhead(0);
            (_backend as IDisposable)?.Dispose();
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

        /// <summary>ShouldProcess, except that printing a skeleton changes nothing and so asks nothing.</summary>
        internal bool ShouldChange(string target, string action) => GenerateCliSkeleton != null || ShouldProcess(target, action);

        /// <summary>
        /// Runs one KMS operation for the current pipeline item: builds the request (merged over -CliInputJson), calls
        /// the backend, and writes the result as objects or, with -Output/-Query, as the CLI would print it.
        /// A KMS error becomes a non-terminating error for this item only, with <paramref name="target"/> (the
        /// offending input) as its target, and the pipeline goes on. -GenerateCliSkeleton prints and calls nothing.
        /// </summary>
        internal void Invoke<TRequest, TResponse>(string operation, object target, Func<TRequest> build,
            Func<TRequest, TResponse> call, Func<TResponse, object> emit = null) where TRequest : class
        {
            DrainAhead(0);
            if (GenerateCliSkeleton != null)
            {
                if (!_skeletonWritten) WriteObject(CliModel.Skeleton(operation, GenerateCliSkeleton));
                _skeletonWritten = true;
                return;
            }
            try
            {
                TRequest request = BuildRequest(operation, build);
                TResponse response = Call(operation, request, call);
                if (response == null) return;
                if (WantsCliOutput) WriteCliOutput(operation, CliDocument.FromResponse(response));
                else WriteObject(emit == null ? response : emit(response));
            }
            catch (KmsException e)
            {
                WriteError(KmsErrorRecords.Create(e, TargetFor(e, target)));
            }
        }

        // Results of items still being computed on other cores, oldest first; each one writes its result when run.
        private readonly Queue<System.Threading.Tasks.Task<Action>> _ahead = new Queue<System.Threading.Tasks.Task<Action>>();

        /// <summary>
        /// As <see cref="Invoke{TRequest,TResponse}"/>, but the backend call of this item may run on another core while
        /// the pipeline delivers the next items (slow work such as RSA key generation uses every core). Results and
        /// errors are still written in the order the items came, on the pipeline thread; at most one item per core
        /// is ahead at any time. Requests are built, and everything written to -Verbose/-Debug, on the pipeline thread.
        /// </summary>
        internal void InvokeAhead<TRequest, TResponse>(string operation, object target, Func<TRequest> build,
            Func<TRequest, TResponse> call) where TRequest : class
        {
            if (GenerateCliSkeleton != null || WantsCliOutput)
            {
                DrainAhead(0);
                Invoke(operation, target, build, call);
                return;
            }
            TRequest request;
            IKmsBackend backend;
            try
            {
                request = BuildRequest(operation, build);
                backend = KmsBackend;
                WriteVerbose($"{operation}: calling the {backend.Description}.");
                WriteDebug($"{operation} request: {Redaction.Describe(request)}");
            }
            catch (KmsException e)
            {
                DrainAhead(0);
                WriteError(KmsErrorRecords.Create(e, TargetFor(e, target)));
                return;
            }
            // The bound parameters change with the next item: the error target is taken from this item's, copied now.
            var bound = new Dictionary<string, object>(MyInvocation.BoundParameters, StringComparer.OrdinalIgnoreCase);
            _ahead.Enqueue(System.Threading.Tasks.Task.Run<Action>(() =>
            {
                try
                {
                    TResponse response = call(request);
                    return (Action)(() =>
                    {
                        WriteDebug($"{operation} response: {Redaction.Describe(response)}");
                        WriteObject(response);
                    });
                }
                catch (KmsException e)
                {
                    return (Action)(() => WriteError(KmsErrorRecords.Create(e, TargetFor(e, target, bound))));
                }
            }));
            DrainAhead(Environment.ProcessorCount);
        }

        /// <summary>Key pair cmdlets: RSA pairs (seconds each) are computed ahead on every core; fast specs run inline.</summary>
        internal void InvokeOrAhead<TRequest, TResponse>(string operation, object target, Func<TRequest> build,
            Func<TRequest, TResponse> call) where TRequest : class
        {
            object spec = MyInvocation.BoundParameters.TryGetValue("KeyPairSpec", out object value) ? value : null;
            if (spec is string text && text.StartsWith("RSA_", StringComparison.OrdinalIgnoreCase)) InvokeAhead(operation, target, build, call);
            else Invoke(operation, target, build, call);
        }

        /// <summary>Writes the results of items computed ahead, oldest first, until at most <paramref name="keep"/> remain.</summary>
        private void DrainAhead(int keep)
        {
            while (_ahead.Count > keep) _ahead.Dequeue().GetAwaiter().GetResult()();
        }

        /// <summary>
        /// Runs a KMS list operation page after page (all pages, as the AWS CLI does unless -NoPaginate) and writes each
        /// item; with -Output/-Query the pages are merged into one response first, as the CLI's paginator does.
        /// </summary>
        internal void RunPaged<TRequest, TPage, TItem>(string operation, object target, Func<string, TRequest> build,
            Func<TRequest, TPage> call, Func<TPage, (IEnumerable<TItem> Items, string NextMarker)> split,
            string marker = null, bool singlePage = false, Action<TItem> write = null) where TRequest : class
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
                WriteError(KmsErrorRecords.Create(e, TargetFor(e, target)));
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
        {
            WriteVerbose($"{operation}: calling the {KmsBackend.Description}.");
            WriteDebug($"{operation} request: {Redaction.Describe(request)}");
            TResponse response = call(request);
            if (response != null) WriteDebug($"{operation} response: {Redaction.Describe(response)}");
            return response;
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

        /// <summary>The input the error is about: the value of the member KMS named, else the item's main input.</summary>
        internal object TargetFor(KmsException error, object defaultTarget) =>
            TargetFor(error, defaultTarget, MyInvocation.BoundParameters);

        private static object TargetFor(KmsException error, object defaultTarget, IDictionary<string, object> boundParameters)
        {
            // A plaintext never becomes an error's target: error records end up in $Error, transcripts and logs.
            if (error.MemberName == "Plaintext") return defaultTarget;
            if (error.MemberName != null && boundParameters.TryGetValue(error.MemberName, out object bound))
                return bound is SwitchParameter ? defaultTarget : bound;
            return defaultTarget;
        }

        /// <summary>Reads -EncryptionContext: a hashtable or dictionary, a JSON object string, the CLI's k=v,k2=v2 shorthand, or an object with string properties.</summary>
        internal static Dictionary<string, string> ToEncryptionContext(object value)
        {
            object raw = Unwrap(value);
            switch (raw)
            {
                case null:
                    return null;
                case string text:
                    return EncryptionContextParser.Parse(text);
                case IDictionary dictionary:
                    return EncryptionContextParser.FromDictionary(dictionary, Unwrap);
                case PSCustomObject _ when value is PSObject custom:
                    var properties = new Hashtable(StringComparer.Ordinal);
                    foreach (PSPropertyInfo property in custom.Properties) properties[property.Name] = property.Value;
                    return EncryptionContextParser.FromDictionary(properties, Unwrap);
                default:
                    throw new KmsException(KmsErrorCodes.Validation,
                        $"The encryption context is not valid: a {raw.GetType().Name} is not a map. Pass a hashtable (@{{ purpose = 'backup' }}), a JSON object string, or k1=v1,k2=v2.",
                        "EncryptionContext");
            }
        }

        /// <summary>Tags from a hashtable (@{ team = 'ops' }), in the hashtable's order.</summary>
        internal static List<Model.Tag> ToTags(IDictionary tags)
        {
            if (tags == null) return null;
            var list = new List<Model.Tag>();
            foreach (DictionaryEntry entry in tags)
                list.Add(new Model.Tag { TagKey = Unwrap(entry.Key)?.ToString(), TagValue = Unwrap(entry.Value)?.ToString() ?? string.Empty });
            return list;
        }

        internal static List<string> ToList(string[] values) => values == null ? null : new List<string>(values);

        internal static bool? ToDryRun(SwitchParameter dryRun, IDictionary<string, object> bound) =>
            bound.ContainsKey("DryRun") ? dryRun.IsPresent : (bool?)null;

        private static object Unwrap(object value) => value is PSObject wrapped && !(wrapped.BaseObject is PSCustomObject) ? wrapped.BaseObject : value;
    }
}

namespace KmsTools.Commands
{
    /// <summary>The cmdlets over KMS list operations: all pages by default, as the AWS CLI does.</summary>
    public abstract class KmsListCmdlet : KmsCmdlet
    {
        /// <summary>Only the first page (--no-paginate); -Verbose says where the next one starts.</summary>
        [Parameter]
        public SwitchParameter NoPaginate { get; set; }
    }
}
