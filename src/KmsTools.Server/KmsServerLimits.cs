using System;

namespace KmsTools.Server
{
    /// <summary>What one request and one connection may cost the server.</summary>
    public sealed class KmsServerLimits
    {
        /// <summary>The request line and headers. The AWS SDKs send under 2 KiB.</summary>
        public int MaxHeaderBytes { get; set; } = 16 * 1024;

        /// <summary>A request body. The largest KMS requests (a 4 KiB plaintext, a 6 KiB ciphertext, an attestation document) are far below it.</summary>
        public int MaxBodyBytes { get; set; } = 1024 * 1024;

        /// <summary>From a request's first byte to the end of its head.</summary>
        public TimeSpan HeaderTimeout { get; set; } = TimeSpan.FromSeconds(10);

        /// <summary>From the end of the head to the end of the body.</summary>
        public TimeSpan BodyTimeout { get; set; } = TimeSpan.FromSeconds(10);

        /// <summary>A keep-alive connection waiting for its next request; longer than the SDKs' own idle limits, so they close first.</summary>
        public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromSeconds(120);

        /// <summary>How long Stop waits for requests in progress.</summary>
        public TimeSpan DrainTimeout { get; set; } = TimeSpan.FromSeconds(30);
    }
}
