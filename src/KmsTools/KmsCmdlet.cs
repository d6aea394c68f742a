using System;
using System.Management.Automation;
using System.Threading;
using KmsTools.Infrastructure;

namespace KmsTools.Commands
{
    /// <summary>
    /// What every cmdlet of a KMS operation shares: beyond <see cref="KmsBackendCmdlet"/>'s backend options and
    /// lifetime, the aws CLI's per-operation options (-CliInputJson, -GenerateCliSkeleton, -Output, -Query).
    /// The request pipeline is in KmsCmdlet.Operations.cs; the CLI's output in <see cref="CliResult"/>; the backend's
    /// trace in <see cref="BackendTrace"/>; items computed ahead in <see cref="AheadQueue"/>.
    /// </summary>
    public abstract partial class KmsCmdlet : KmsBackendCmdlet
    {
        private readonly AheadQueue _ahead = new AheadQueue();

        /// <summary>Backends made by cmdlets of this process and not yet disposed (for tests of every exit path).</summary>
        public static new int OpenBackends => KmsBackendCmdlet.OpenBackends;

        /// <summary>Items computed ahead (RSA pairs) and neither written nor discarded yet, process-wide (for tests).</summary>
        public static int PendingAheadItems => AheadQueue.Live;

        /// <summary>Key materials the local engine holds in memory, not yet zeroed, process-wide (for tests).</summary>
        public static int LiveKeyMaterials => Local.LocalKmsBackend.LiveKeyMaterials;

        protected override void EndProcessing()
        {
            DeliverAhead(0);
            ReleaseBackend();
        }

        /// <summary>Work computed ahead is cancelled and its secrets zeroed, on every exit path.</summary>
        protected override void ReleaseResources() => _ahead.Dispose();

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
