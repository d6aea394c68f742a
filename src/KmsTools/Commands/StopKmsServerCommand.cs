using System.Linq;
using System.Management.Automation;
using KmsTools.Infrastructure;

namespace KmsTools.Commands
{
    /// <summary>Stops a server of this session: no new connections, the requests in progress answered, then the port freed.</summary>
    [Cmdlet(VerbsLifecycle.Stop, "KmsServer", DefaultParameterSetName = "Server", SupportsShouldProcess = true)]
    [OutputType(typeof(KmsServerInfo))]
    public sealed class StopKmsServerCommand : PSCmdlet
    {
        /// <summary>The server, from Get-KmsServer or Start-KmsServer -PassThru.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ParameterSetName = "Server")]
        public KmsServerInfo[] InputObject { get; set; }

        /// <summary>The server's id in this session.</summary>
        [Parameter(Mandatory = true, ParameterSetName = "Id")]
        [ArgumentCompleter(typeof(ServerIdCompleter))]
        public int[] Id { get; set; }

        /// <summary>Returns the stopped server.</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        protected override void ProcessRecord()
        {
            if (ParameterSetName == "Id")
            {
                foreach (int id in Id)
                {
                    KmsServerInfo found = KmsServers.All.FirstOrDefault(s => s.Id == id);
                    if (found == null)
                        WriteError(new ErrorRecord(new ItemNotFoundException($"No KMS server of this session has id {id}; Get-KmsServer lists them."),
                            "KmsServerNotFound", ErrorCategory.ObjectNotFound, id));
                    else Stop(found);
                }
                return;
            }
            foreach (KmsServerInfo server in InputObject) Stop(server);
        }

        private void Stop(KmsServerInfo server)
        {
            if (!ShouldProcess(server.Url, "Stop KMS server")) return;
            KmsServers.Stop(server);
            if (PassThru) WriteObject(server);
        }
    }
}
