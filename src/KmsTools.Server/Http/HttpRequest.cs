using System;
using System.Collections.Generic;

namespace KmsTools.Server.Http
{
    /// <summary>One HTTP/1.1 request as the server read it: the head, and the body whole (KMS requests are small).</summary>
    internal sealed class HttpRequest
    {
        public HttpRequest(string method, string target, string version, Dictionary<string, string> headers, byte[] body)
        {
            Method = method;
            Target = target;
            Version = version;
            Headers = headers;
            Body = body;
        }

        public string Method { get; }
        public string Target { get; }
        public string Version { get; }

        /// <summary>Names compared without case; a header given twice has its values joined with ", ", as RFC 9110 allows.</summary>
        public Dictionary<string, string> Headers { get; }

        /// <summary>The body; it may hold a plaintext (Encrypt's), so the server zeroes it once the request is answered.</summary>
        public byte[] Body { get; }

        public string Header(string name) => Headers.TryGetValue(name, out string value) ? value : null;

        /// <summary>HTTP/1.1 keeps the connection unless the client says close; HTTP/1.0 closes unless it says keep-alive.</summary>
        public bool KeepAlive
        {
            get
            {
                string connection = Header("Connection") ?? string.Empty;
                bool Says(string token) => connection.IndexOf(token, StringComparison.OrdinalIgnoreCase) >= 0;
                return Version == "HTTP/1.1" ? !Says("close") : Says("keep-alive");
            }
        }
    }

    /// <summary>A request the server cannot read as HTTP: answered with <see cref="Status"/> and the connection closed.</summary>
    internal sealed class HttpProtocolException : Exception
    {
        public HttpProtocolException(int status, string message) : base(message) => Status = status;

        public int Status { get; }
    }
}
