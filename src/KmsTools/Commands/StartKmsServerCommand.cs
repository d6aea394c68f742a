using System;
using System.Collections.Concurrent;
using System.Management.Automation;
using System.Net;
using System.Threading;
using KmsTools.Infrastructure;
using KmsTools.Server;

namespace KmsTools.Commands
{
    /// <summary>
    /// Serves the local engine's store over the KMS wire protocol, so that the aws CLI, boto3, the AWS SDKs and this
    /// module's -EndpointUrl reach it. In the background of the session by default; -Wait runs it in the foreground,
    /// one log line per request, until Ctrl+C (or SIGTERM).
    /// </summary>
    [Cmdlet(VerbsLifecycle.Start, "KmsServer")]
    [OutputType(typeof(KmsServerInfo))]
    public sealed class StartKmsServerCommand : PSCmdlet, IDisposable
    {
        private readonly CancellationTokenSource _stopping = new CancellationTokenSource();

        /// <summary>The TCP port; 0 or omitted: a free port, reported in the result's Port and Url.</summary>
        [Parameter(Position = 0)]
        [ValidateRange(0, 65535)]
        public int Port { get; set; }

        /// <summary>The address to listen on: 127.0.0.1 (the default), ::1, localhost, or another address with -AllowRemoteAccess.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(ServerAddressCompleter))]
        public string Address { get; set; } = "127.0.0.1";

        /// <summary>Allows an address other than loopback. The server has no TLS and accepts any credentials: anyone who reaches the port can use every key.</summary>
        [Parameter]
        public SwitchParameter AllowRemoteAccess { get; set; }

        /// <summary>The region of requests that carry no SigV4 credential scope. Default: the AWS region chain, as for the cmdlets.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(RegionCompleter))]
        public string DefaultRegion { get; set; }

        /// <summary>
        /// Requires every request to carry a valid SigV4 signature by one of these credentials (UserName: the access key
        /// id; Password: the secret access key), answered as AWS does otherwise (UnrecognizedClientException,
        /// InvalidSignatureException). Without it or -CredentialFile, any credentials are accepted.
        /// </summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public PSCredential[] Credential { get; set; }

        /// <summary>An AWS shared credentials file: every profile's aws_access_key_id and aws_secret_access_key may sign requests, as with -Credential.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string CredentialFile { get; set; }

        /// <summary>
        /// The principal each access key id acts for: @{ AKIAAPP = 'arn:aws:iam::111122223333:role/app' }. Its requests
        /// are allowed as the key policies and grants allow that principal; other access keys act for the account's
        /// root (or $env:KMSTOOLS_CALLER_PRINCIPAL). Give -Credential or -CredentialFile too, or any client can claim any
        /// access key id.
        /// </summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public System.Collections.IDictionary Principal { get; set; }

        /// <summary>A seed file (local-kms's YAML format, or JSON) whose keys and aliases are created in the default region before the server starts, as Import-KmsKeyStoreSeed does.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string Seed { get; set; }

        /// <summary>Returns the server (Url, Port, Address, StartTime, RequestCount); without it, one line says where it listens.</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        /// <summary>Runs in the foreground: a line per request (time, status, operation, key, error, milliseconds; never a plaintext) until Ctrl+C or SIGTERM, then stops, answering the requests in progress first.</summary>
        [Parameter]
        public SwitchParameter Wait { get; set; }

        protected override void EndProcessing()
        {
            IPAddress address = ParseAddress();
            BlockingCollection<KmsRequestRecord> log = Wait ? new BlockingCollection<KmsRequestRecord>(10000) : null;
            KmsServer server = null;
            try
            {
                SigV4Verifier signatures = ReadCredentials();
                if (Seed != null)
                {
                    Local.SeedImportResult seeded;
                    using (var seed = Local.Seeding.KeyStoreSeed.Read(GetUnresolvedProviderPathFromPSPath(Seed)))
                        seeded = SeedImport.Run(seed, DefaultRegion);
                    Say($"Seed {Seed}: {seeded.KeysCreated.Count} keys and {seeded.AliasesCreated.Count} aliases created, {seeded.KeysPresent.Count} keys and {seeded.AliasesPresent.Count} aliases already there.");
                }
                server = new KmsServer(new KmsServerOptions { Address = address, Port = Port, Region = DefaultRegion, Signatures = signatures, Principals = Principals() });
                if (log != null) server.RequestCompleted += record => log.TryAdd(record);
                server.Start();
            }
            catch (KmsException e)
            {
                server?.Dispose();
                ThrowTerminatingError(KmsErrorRecords.Create(e, Port));
            }
            KmsServerInfo info = KmsServers.Add(server);
            string where = $"KMS server {info.Id} listening on {info.Url} (store '{info.Store}', default region {info.DefaultRegion}, {(info.RequiresSignature ? "SigV4 signatures required" : "any credentials accepted")}).";
            if (!Wait)
            {
                if (PassThru) WriteObject(info);
                else Say(where + " Stop-KmsServer -Id " + info.Id + " stops it.");
                return;
            }

            Say(where + " Ctrl+C stops it.");
            if (PassThru) WriteObject(info);
            using (TerminationSignal.OnSigterm(_stopping.Cancel))
            {
                try
                {
                    foreach (KmsRequestRecord record in log.GetConsumingEnumerable(_stopping.Token)) Say(record.ToString());
                }
                catch (OperationCanceledException)
                {
                    // Ctrl+C or SIGTERM: stop below.
                }
                finally
                {
                    KmsServers.Stop(info);
                    while (log.TryTake(out KmsRequestRecord record)) Say(record.ToString());
                    Say($"KMS server {info.Id} stopped after {info.RequestCount} requests.");
                }
            }
        }

        protected override void StopProcessing() => _stopping.Cancel();

        public void Dispose() => _stopping.Dispose();

        /// <summary>-Principal as the server takes it: access key id to principal ARN, both as strings.</summary>
        private System.Collections.Generic.Dictionary<string, string> Principals()
        {
            if (Principal == null) return null;
            var map = new System.Collections.Generic.Dictionary<string, string>(System.StringComparer.Ordinal);
            foreach (System.Collections.DictionaryEntry entry in Principal)
                map[Infrastructure.ParameterValues.Unwrap(entry.Key)?.ToString() ?? string.Empty] = Infrastructure.ParameterValues.Unwrap(entry.Value)?.ToString();
            return map;
        }

        private SigV4Verifier ReadCredentials()
        {
            var secrets = new System.Collections.Generic.Dictionary<string, string>(StringComparer.Ordinal);
            foreach (PSCredential credential in Credential ?? new PSCredential[0])
                secrets[credential.UserName] = credential.GetNetworkCredential().Password;
            if (CredentialFile != null)
            {
                string path = GetUnresolvedProviderPathFromPSPath(CredentialFile);
                if (!System.IO.File.Exists(path))
                    ThrowTerminatingError(new ErrorRecord(new System.IO.FileNotFoundException($"The credentials file '{path}' does not exist."), "CredentialFileNotFound", ErrorCategory.ObjectNotFound, CredentialFile));
                foreach (var profile in Cli.AwsConfigFile.ReadSections(path).Values)
                    if (profile.TryGetValue("aws_access_key_id", out string id) && profile.TryGetValue("aws_secret_access_key", out string secret))
                        secrets[id] = secret;
                if (secrets.Count == 0)
                    ThrowTerminatingError(new ErrorRecord(new ArgumentException($"The credentials file '{path}' has no profile with aws_access_key_id and aws_secret_access_key."), "NoCredentialsInFile", ErrorCategory.InvalidData, CredentialFile));
            }
            return secrets.Count == 0 ? null : new SigV4Verifier(secrets);
        }

        private IPAddress ParseAddress()
        {
            IPAddress address;
            if (Address.Equals("localhost", StringComparison.OrdinalIgnoreCase)) address = IPAddress.Loopback;
            else if (Address == "*") address = IPAddress.Any;
            else if (!IPAddress.TryParse(Address, out address))
                ThrowTerminatingError(new ErrorRecord(new ArgumentException($"'{Address}' is not an IP address. Use 127.0.0.1 (the default), ::1, or with -AllowRemoteAccess an address of this machine or 0.0.0.0."),
                    "InvalidAddress", ErrorCategory.InvalidArgument, Address));
            if (!IPAddress.IsLoopback(address))
            {
                if (!AllowRemoteAccess)
                    ThrowTerminatingError(new ErrorRecord(new ArgumentException($"{address} is not a loopback address: other machines could use every key of the store. Add -AllowRemoteAccess to listen there anyway."),
                        "RemoteAccessNotAllowed", ErrorCategory.SecurityError, Address));
                WriteWarning(Credential == null && CredentialFile == null
                    ? $"The KMS server listens on {address}: it has no TLS and accepts any credentials, so whoever reaches this port can use every key of the store."
                    : $"The KMS server listens on {address}: it has no TLS, so whoever can watch its traffic sees the plaintexts it returns.");
            }
            return address;
        }

        private void Say(string line) =>
            WriteInformation(new HostInformationMessage { Message = line }, new[] { "PSHOST", "KmsServer" });
    }
}
