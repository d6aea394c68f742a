using System;
using System.Collections.Generic;
using System.Management.Automation;
using KmsTools.Cli;
using KmsTools.Infrastructure;

namespace KmsTools.Commands
{
    /// <summary>
    /// The request pipeline every cmdlet shares and its error funnel: one KMS operation per pipeline item (built over
    /// -CliInputJson, traced, called with the stop token, written as objects or as the CLI prints it), list operations
    /// page by page, slow items computed ahead (<see cref="AheadQueue"/>), and every KmsException turned into a
    /// non-terminating ErrorRecord whose id is the KMS error name.
    /// </summary>
    public abstract partial class KmsCmdlet
    {
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
                else if (!(response is Model.IEmptyResponse))
                {
                    object emitted = emit == null ? response : emit(response);
                    if (emitted != null) WriteObject(emitted);
                }
            }
            catch (KmsException e)
            {
                WriteKmsError(e, target);
            }
        }

        /// <summary>
        /// What a change cmdlet writes: with -PassThru, the key as it is after the change (DescribeKey), so that
        /// <c>Disable-KmsKey $id -PassThru</c> shows the new state; otherwise the operation's own (empty) response.
        /// </summary>
        internal object KeyAfterChange(bool passThru, object response, string keyId) =>
            passThru ? KmsBackend.DescribeKey(new Model.DescribeKeyRequest { KeyId = keyId }, StopToken).KeyMetadata : response;

        /// <summary>As <see cref="KeyAfterChange"/>, for an alias: the alias as ListAliases shows it after the change.</summary>
        internal object AliasAfterChange(bool passThru, object response, string aliasName, string keyId)
        {
            if (!passThru) return response;
            foreach (Model.AliasListEntry alias in KmsBackend.ListAliases(new Model.ListAliasesRequest { KeyId = keyId, Limit = 100 }, StopToken).Aliases)
                if (alias.AliasName == aliasName) return alias;
            return null;
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
                        Verbose($"{operation}: more results; pass -Marker '{marker}' for the next page.");
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
            {
                string document = CliInputJson.StartsWith("file://", StringComparison.OrdinalIgnoreCase)
                    ? InputFiles.ReadDocument(this, CliInputJson) : CliInputJson;
                request = CliModel.Merge(CliModel.ReadInput<TRequest>(operation, document), request);
            }
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
            Verbose($"{operation}: calling the {KmsBackend.Description}.");
            WriteDebug($"{operation} request: {Redaction.Describe(request)}");
        }

        private void TraceResponse(string operation, object response)
        {
            FlushOffThreadTraces();
            if (response != null) WriteDebug($"{operation} response: {Redaction.Describe(response)}");
        }

        private void FlushOffThreadTraces() => _trace?.Flush();


        internal void WriteKmsError(KmsException error, object target, IDictionary<string, object> boundParameters = null)
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
            var (value, enumerate) = CliResult.Render(document, operation, Output, Query);
            if (value != null) WriteObject(value, enumerate);
        }
    }
}
