using System.Linq;
using System.Management.Automation;
using KmsTools.Infrastructure;

namespace KmsTools.Commands
{
    /// <summary>The KMS servers Start-KmsServer started in this session and that are still running.</summary>
    [Cmdlet(VerbsCommon.Get, "KmsServer")]
    [OutputType(typeof(KmsServerInfo))]
    public sealed class GetKmsServerCommand : PSCmdlet
    {
        /// <summary>Only the server with this id.</summary>
        [Parameter(Position = 0)]
        [ArgumentCompleter(typeof(ServerIdCompleter))]
        public int[] Id { get; set; }

        /// <summary>Only the server on this port.</summary>
        [Parameter]
        public int[] Port { get; set; }

        protected override void EndProcessing()
        {
            foreach (KmsServerInfo server in KmsServers.All.Where(s => (Id == null || Id.Contains(s.Id)) && (Port == null || Port.Contains(s.Port))))
                WriteObject(server);
        }
    }
}
