using System;
using System.IO;

namespace KmsTools.Remote
{
    // IOExceptions, so that the SDK's retry policy treats them as the transient network failures they are (the aws
    // CLI retries its timeouts too); RemoteKmsBackend turns the last one into the CLI's error name.

    /// <summary>No connection within the connect timeout (-CliConnectTimeout, 60 s by default as in the aws CLI).</summary>
    internal sealed class ConnectTimeoutException : IOException
    {
        public ConnectTimeoutException(TimeSpan timeout) : base($"no connection within {timeout.TotalSeconds:0.###} s") { }
    }

    /// <summary>No byte of the answer within the read timeout (-CliReadTimeout, 60 s by default as in the aws CLI).</summary>
    internal sealed class ReadTimeoutException : IOException
    {
        public ReadTimeoutException(TimeSpan timeout) : base($"no data within {timeout.TotalSeconds:0.###} s") { }
    }

    /// <summary>
    /// A 2xx answer that is not the operation's response: not JSON, a member of the wrong type, a required member
    /// missing, or too large. Not an IOException: sending a request again that the server accepted (CreateKey) could
    /// act twice, and a server that answers garbage once answers it again.
    /// </summary>
    internal sealed class MalformedResponseException : Exception
    {
        public MalformedResponseException(string message) : base(message) { }
    }
}
