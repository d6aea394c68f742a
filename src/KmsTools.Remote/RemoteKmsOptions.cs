using System;

namespace KmsTools.Remote
{
    /// <summary>How to reach a remote KMS endpoint (AWS KMS or anything that speaks its JSON 1.1 protocol): the CLI's global options.</summary>
    public sealed class RemoteKmsOptions
    {
        /// <summary>The endpoint (--endpoint-url); null means AWS KMS of <see cref="Region"/>.</summary>
        public string EndpointUrl { get; set; }
        public string Region { get; set; }

        /// <summary>The named profile of the AWS config and credentials files (--profile); null means the SDK's default chain.</summary>
        public string Profile { get; set; }

        /// <summary>Whether the AWS config file has a section for <see cref="Profile"/> (one that only says where to go, say).</summary>
        public bool ProfileInConfigFile { get; set; }
        public bool NoVerifySsl { get; set; }
        public string CaBundle { get; set; }
        /// <summary>The aws CLI's connect and read timeout when none is given.</summary>
        public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(60);

        public TimeSpan? ReadTimeout { get; set; }
        public TimeSpan? ConnectTimeout { get; set; }

        internal TimeSpan EffectiveReadTimeout => ReadTimeout ?? DefaultTimeout;
        internal TimeSpan EffectiveConnectTimeout => ConnectTimeout ?? DefaultTimeout;
        public bool NoSignRequest { get; set; }

        /// <summary>Receives the request and response traces (-Debug), with every secret blanked.</summary>
        public Action<string> Trace { get; set; }
    }
}
