using System;
using System.Collections;
using System.Collections.Generic;
using System.Management.Automation;
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

        protected override void EndProcessing() => (_backend as IDisposable)?.Dispose();

        /// <summary>
        /// Runs one KMS operation for the current pipeline item. A KMS error becomes a non-terminating error for this
        /// item only, with <paramref name="target"/> (the offending input) as its target, and the pipeline goes on.
        /// </summary>
        internal void Run(string operation, object target, Func<object> call)
        {
            try
            {
                WriteVerbose($"{operation}: calling the {KmsBackend.Description}.");
                object result = call();
                if (result != null) WriteObject(result);
            }
            catch (KmsException e)
            {
                WriteError(KmsErrorRecords.Create(e, TargetFor(e, target)));
            }
        }

        /// <summary>The input the error is about: the value of the member KMS named, else the item's main input.</summary>
        internal virtual object TargetFor(KmsException error, object defaultTarget)
        {
            // A plaintext never becomes an error's target: error records end up in $Error, transcripts and logs.
            if (error.MemberName == "Plaintext") return defaultTarget;
            if (error.MemberName != null && MyInvocation.BoundParameters.TryGetValue(error.MemberName, out object bound))
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

        /// <summary>
        /// Runs a KMS list operation page after page (all pages, as the AWS CLI does by default) and writes each item;
        /// with <paramref name="singlePage"/> it stops after the first page and says in -Verbose where the next one starts.
        /// </summary>
        internal void RunPaged<TPage, TItem>(string operation, object target, Func<string, TPage> fetch,
            Func<TPage, (IEnumerable<TItem> Items, string NextMarker)> split, string marker = null, bool singlePage = false,
            Action<TItem> write = null)
        {
            do
            {
                TPage page = default(TPage);
                bool fetched = false;
                Run(operation, target, () => { page = fetch(marker); fetched = true; return null; });
                if (!fetched) return;
                var (items, next) = split(page);
                foreach (TItem item in items)
                {
                    if (write != null) write(item);
                    else WriteObject(item);
                }
                marker = next;
                if (singlePage && marker != null)
                {
                    WriteVerbose($"{operation}: more results; pass -Marker '{marker}' for the next page.");
                    return;
                }
            }
            while (marker != null);
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
