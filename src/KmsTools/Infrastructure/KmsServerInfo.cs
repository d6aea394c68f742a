using System;
using KmsTools.Server;

namespace KmsTools.Infrastructure
{
    /// <summary>A server of this session, as Start-KmsServer -PassThru and Get-KmsServer show it.</summary>
    public sealed class KmsServerInfo
    {
        internal KmsServerInfo(int id, KmsServer server)
        {
            Id = id;
            Server = server;
        }

        internal KmsServer Server { get; }

        /// <summary>This session's number for the server (Stop-KmsServer -Id).</summary>
        public int Id { get; }

        /// <summary>What clients take as their endpoint: aws --endpoint-url, the SDKs' ServiceURL or endpoint, -EndpointUrl.</summary>
        public string Url => Server.Url.ToString().TrimEnd('/');

        public int Port => Server.Port;
        public string Address => Server.Address.ToString();
        public DateTime StartTime => Server.StartTime.ToLocalTime();
        public long RequestCount => Server.RequestCount;
        public bool IsRunning => Server.IsRunning;

        /// <summary>The key store it serves (the cmdlets' store when KMSTOOLS_HOME is the same).</summary>
        public string Store => Server.Default.Home;

        /// <summary>The region of requests without a SigV4 credential scope; a signed request's scope picks its own.</summary>
        public string DefaultRegion => Server.Default.Region;

        /// <summary>True when requests must be signed by configured credentials (-Credential, -CredentialFile); false when any are accepted.</summary>
        public bool RequiresSignature => Server.RequiresSignature;

        public override string ToString() => Url;
    }
}
