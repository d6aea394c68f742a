using System.Collections.Generic;
using System.Net;

namespace KmsTools.Server
{
    /// <summary>Where the server listens and which store it serves.</summary>
    public sealed class KmsServerOptions
    {
        /// <summary>Loopback unless said otherwise: the server has no TLS, and accepts any credentials.</summary>
        public IPAddress Address { get; set; } = IPAddress.Loopback;

        /// <summary>0: a free port, chosen when the server starts.</summary>
        public int Port { get; set; }

        /// <summary>The store (null: KMSTOOLS_HOME or the OS data folder, as for the cmdlets).</summary>
        public string Home { get; set; }

        public string AccountId { get; set; }

        /// <summary>The region of requests that carry no SigV4 credential scope (null: the AWS region chain).</summary>
        public string Region { get; set; }

        public KmsServerLimits Limits { get; set; } = new KmsServerLimits();

        /// <summary>Null: any credentials are accepted, as the emulators do. Otherwise every request must carry a valid SigV4 signature by one of its keys.</summary>
        public SigV4Verifier Signatures { get; set; }

        /// <summary>
        /// The principal each access key id acts for (its requests are allowed as key policies and grants allow that
        /// principal); a key not listed acts for the default caller ($env:KMSTOOLS_CALLER_PRINCIPAL, else the account's
        /// root). Only as trustworthy as the signatures: with Signatures null, anyone may claim any access key id.
        /// </summary>
        public IDictionary<string, string> Principals { get; set; }
    }
}
