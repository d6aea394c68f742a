using System;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading;
using KmsTools.Cli;
using KmsTools.Server.Http;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace KmsTools.Server
{
    /// <summary>
    /// The KMS wire protocol, AWS JSON 1.1 as AWS KMS speaks it: POST /, X-Amz-Target: TrentService.&lt;Operation&gt;,
    /// Content-Type: application/x-amz-json-1.1, the request and response members as JSON (blobs base64, timestamps
    /// epoch seconds), errors as HTTP 400 with {"__type": "&lt;ErrorName&gt;", "message": "..."}, which the SDKs map to
    /// their exception classes. The region comes from the request's SigV4 credential scope.
    /// </summary>
    internal sealed class KmsProtocol
    {
        public const string ContentType = "application/x-amz-json-1.1";
        private const string TargetPrefix = "TrentService.";
        private static readonly Encoding Utf8 = new UTF8Encoding(false);
        private readonly Func<string, string, IKmsBackend> _backendFor;
        private readonly string _defaultRegion;
        private readonly SigV4Verifier _signatures;

        public KmsProtocol(Func<string, string, IKmsBackend> backendFor, string defaultRegion, SigV4Verifier signatures)
        {
            _backendFor = backendFor;
            _defaultRegion = defaultRegion;
            _signatures = signatures;
        }

        /// <summary>Answers one request. Never throws for anything the client sent: every failure is an answer.</summary>
        public KmsAnswer Handle(HttpRequest request, KmsRequestRecord record, CancellationToken cancellationToken)
        {
            string target = request.Header("X-Amz-Target");
            record.Operation = target != null && target.StartsWith(TargetPrefix, StringComparison.Ordinal) ? target.Substring(TargetPrefix.Length) : target;
            object input = null, output = null;
            try
            {
                if (request.Target != "/" && !request.Target.StartsWith("/?", StringComparison.Ordinal))
                    return Error(404, KmsErrorCodes.UnknownOperation, $"KMS answers at the path /, not {Shorten(request.Target)}.");
                if (request.Method != "POST")
                    return Error(405, KmsErrorCodes.UnknownOperation, $"KMS requests are POST requests, not {Shorten(request.Method)}.");
                // As AWS does, a request is authenticated before anything else about it is looked at.
                KmsException unsigned = _signatures?.Check(request);
                if (unsigned != null)
                    return Error(unsigned.ErrorCode == "MissingAuthenticationTokenException" ? 403 : 400, unsigned.ErrorCode, unsigned.Message);
                if (target == null || !target.StartsWith(TargetPrefix, StringComparison.Ordinal) || !CliModel.IsOperation(record.Operation))
                    return Error(400, KmsErrorCodes.UnknownOperation,
                        target == null ? "The request has no X-Amz-Target header; KMS requests name their operation as X-Amz-Target: TrentService.<Operation>."
                                       : $"X-Amz-Target '{Shorten(target)}' names no KMS operation; it must be TrentService.<Operation>, e.g. TrentService.Encrypt.");
                string contentType = request.Header("Content-Type");
                if (contentType == null || !contentType.Split(';')[0].Trim().Equals(ContentType, StringComparison.OrdinalIgnoreCase))
                    return Error(400, KmsErrorCodes.Serialization, $"Content-Type must be {ContentType}, not '{Shorten(contentType ?? "(none)")}'.");
                if (!OperationTable.TryGet(record.Operation, out Type requestType))
                    return Error(400, KmsErrorCodes.UnsupportedOperation,
                        $"{record.Operation} is a KMS operation that the KmsTools local engine does not implement.");

                input = CliModel.ReadWireRequest(record.Operation, Utf8.GetString(request.Body), requestType);
                record.KeyId = KeyOf(input);
                string authorization = request.Header("Authorization");
                IKmsBackend backend = _backendFor(RegionOf(authorization) ?? _defaultRegion, AccessKeyOf(authorization));
                output = OperationTable.Invoke(backend, record.Operation, input, cancellationToken);
                return Success(output);
            }
            catch (KmsException e)
            {
                // AWS answers its own faults with 500; everything else KMS raises is the request's fault, 400.
                return Error(e.ErrorCode == KmsErrorCodes.KMSInternal ? 500 : 400, e.ErrorCode, e.Message);
            }
            catch (OperationCanceledException)
            {
                return Error(503, "ServiceUnavailableException", "The server is stopping; send the request again to a running server.");
            }
            finally
            {
                Redaction.ClearSecrets(input);
                Redaction.ClearSecrets(output);
            }
        }

        /// <summary>
        /// A fault of the engine, not of the request: KMS's internal error, naming only the kind of fault (its message
        /// could name a path of the store), so that the client knows it was not its request.
        /// </summary>
        internal static KmsAnswer Internal(Exception fault) =>
            Error(500, KmsErrorCodes.KMSInternal, $"The local KMS engine failed on this request ({fault.GetType().Name}); the server log has the time of it.");

        /// <summary>The region of a SigV4 Authorization header's credential scope (Credential=AKID/date/region/kms/aws4_request).</summary>
        internal static string RegionOf(string authorization)
        {
            string[] scope = ScopeOf(authorization);
            return scope != null && scope[1].Length > 0 ? scope[2] : null;
        }

        /// <summary>The access key id of a SigV4 Authorization header's credential.</summary>
        internal static string AccessKeyOf(string authorization)
        {
            string[] scope = ScopeOf(authorization);
            return scope != null && scope[0].Length > 0 ? scope[0] : null;
        }

        private static string[] ScopeOf(string authorization)
        {
            if (authorization == null) return null;
            int at = authorization.IndexOf("Credential=", StringComparison.Ordinal);
            if (at < 0) return null;
            int end = authorization.IndexOf(',', at);
            string[] scope = (end < 0 ? authorization.Substring(at + 11) : authorization.Substring(at + 11, end - at - 11)).Trim().Split('/');
            return scope.Length == 5 ? scope : null;
        }

        private static string KeyOf(object request)
        {
            foreach (System.Reflection.PropertyInfo member in KeyMembers.GetOrAdd(request.GetType(), type =>
                         new[] { "KeyId", "TargetKeyId", "DestinationKeyId" }.Select(name => type.GetProperty(name)).Where(p => p != null).ToArray()))
                if (member.GetValue(request) is string key) return key;
            return null;
        }

        // Per request type, once: the log names the key of every request.
        private static readonly System.Collections.Concurrent.ConcurrentDictionary<Type, System.Reflection.PropertyInfo[]> KeyMembers =
            new System.Collections.Concurrent.ConcurrentDictionary<Type, System.Reflection.PropertyInfo[]>();

        private static KmsAnswer Success(object response) => new KmsAnswer(200, null, Write(writer => CliOutput.WriteJson(response, writer)));

        /// <summary>An error as AWS sends it: the status and a JSON body with the error name in __type.</summary>
        internal static KmsAnswer Error(int status, string code, string message)
        {
            var json = new JObject { ["__type"] = code };
            if (!string.IsNullOrEmpty(message)) json["message"] = message;
            return new KmsAnswer(status, code, Write(json.WriteTo));
        }

        /// <summary>The JSON in a buffer of its own, which the server clears once sent (it may hold a plaintext's base64).</summary>
        private static ArraySegment<byte> Write(Action<JsonWriter> write)
        {
            var stream = new MemoryStream();
            using (var text = new StreamWriter(stream, Utf8, 1024, leaveOpen: true))
            using (var writer = new JsonTextWriter(text) { Formatting = Formatting.None })
                write(writer);
            return new ArraySegment<byte>(stream.GetBuffer(), 0, (int)stream.Length);
        }

        private static string Shorten(string text) => Redaction.Shorten(text, 100);
    }

    /// <summary>What the protocol answers: the status, the KMS error name of a failure, the JSON body.</summary>
    internal sealed class KmsAnswer
    {
        public KmsAnswer(int status, string errorCode, ArraySegment<byte> body)
        {
            Status = status;
            ErrorCode = errorCode;
            Body = body;
        }

        public int Status { get; }
        public string ErrorCode { get; }
        public ArraySegment<byte> Body { get; }
    }
}
