using System;

namespace KmsTools.Server
{
    /// <summary>
    /// One answered request, as the server logs it: never a plaintext, a ciphertext or a header value, only what
    /// says what happened.
    /// </summary>
    public sealed class KmsRequestRecord
    {
        public DateTime Time { get; internal set; }

        /// <summary>The KMS operation, or what the target header said when it named none.</summary>
        public string Operation { get; internal set; }

        /// <summary>The key the request named (KeyId, or TargetKeyId/DestinationKeyId), when it named one.</summary>
        public string KeyId { get; internal set; }

        public int StatusCode { get; internal set; }

        /// <summary>The KMS error name of a failed request (NotFoundException, ...), else null.</summary>
        public string ErrorCode { get; internal set; }

        public double Milliseconds { get; internal set; }

        public string RequestId { get; internal set; }

        /// <summary>One log line: time, status, operation, key, error, milliseconds.</summary>
        public override string ToString() =>
            string.Format(System.Globalization.CultureInfo.InvariantCulture, "{0:yyyy-MM-ddTHH:mm:ss.fffZ} {1} {2} {3} {4}{5:0.0} ms",
                Time, StatusCode, Operation ?? "-", KeyId ?? "-", ErrorCode == null ? string.Empty : ErrorCode + " ", Milliseconds);
    }
}
