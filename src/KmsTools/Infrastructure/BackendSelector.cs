using System;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using KmsTools.Cli;
using KmsTools.Local;

namespace KmsTools.Infrastructure
{
    /// <summary>What the CLI's global options say about where a request goes.</summary>
    internal sealed class BackendSettings
    {
        public string Region { get; set; }
        public string Profile { get; set; }
        public string EndpointUrl { get; set; }
        public string Backend { get; set; }
        public bool NoVerifySsl { get; set; }
        public string CaBundle { get; set; }
        public int? ReadTimeoutSeconds { get; set; }
        public int? ConnectTimeoutSeconds { get; set; }
        public bool NoSignRequest { get; set; }
        public Action<string> Trace { get; set; }
    }

    /// <summary>
    /// Picks the backend: the remote endpoint when -EndpointUrl, -Backend Remote, $env:KMSTOOLS_BACKEND = 'Remote',
    /// AWS_ENDPOINT_URL_KMS, AWS_ENDPOINT_URL or the profile's endpoint_url say so; otherwise the local engine.
    /// -Backend Local wins over all of them. The AWS SDK is loaded only when the remote backend is chosen.
    /// </summary>
    internal static class BackendSelector
    {
        public const string BackendEnvironmentVariable = "KMSTOOLS_BACKEND";

        public static IKmsBackend Create(BackendSettings settings)
        {
            string profile = AwsConfigFile.ActiveProfile(settings.Profile);
            IReadOnlyDictionary<string, string> profileSettings = AwsConfigFile.Read(profile);
            profileSettings.TryGetValue("region", out string profileRegion);
            string choice = settings.Backend ?? Environment.GetEnvironmentVariable(BackendEnvironmentVariable);
            if (string.Equals(choice, "Local", StringComparison.OrdinalIgnoreCase))
                return new LocalKmsBackend(LocalKmsOptions.Resolve(settings.Region, profileRegion: profileRegion));

            profileSettings.TryGetValue("endpoint_url", out string profileEndpoint);
            string endpoint = FirstOf(settings.EndpointUrl, Environment.GetEnvironmentVariable("AWS_ENDPOINT_URL_KMS"),
                Environment.GetEnvironmentVariable("AWS_ENDPOINT_URL"), profileEndpoint);
            bool remote = endpoint != null || string.Equals(choice, "Remote", StringComparison.OrdinalIgnoreCase);
            if (!remote)
            {
                if (choice != null)
                    throw new KmsException(KmsErrorCodes.Validation,
                        $"${BackendEnvironmentVariable} is '{choice}'; it must be Local or Remote.", "Backend");
                return new LocalKmsBackend(LocalKmsOptions.Resolve(settings.Region, profileRegion: profileRegion));
            }
            if (endpoint != null && !IsHttpUrl(endpoint))
                throw new KmsException(KmsErrorCodes.Validation, $"Invalid endpoint: {Redaction.Endpoint(endpoint)}. Give a URL such as https://kms.us-east-1.amazonaws.com or http://127.0.0.1:5000.", "EndpointUrl");
            return CreateRemote(new Remote.RemoteKmsOptions
            {
                ProfileInConfigFile = profileSettings.Count > 0,
                EndpointUrl = endpoint,
                Region = AwsRegion.Resolve(settings.Region, profileRegion),
                Profile = settings.Profile ?? profile,
                NoVerifySsl = settings.NoVerifySsl,
                CaBundle = settings.CaBundle ?? Environment.GetEnvironmentVariable("AWS_CA_BUNDLE"),
                ReadTimeout = Seconds(settings.ReadTimeoutSeconds),
                ConnectTimeout = Seconds(settings.ConnectTimeoutSeconds),
                NoSignRequest = settings.NoSignRequest,
                Trace = settings.Trace,
            });
        }

        // Kept apart so that the JIT loads KmsTools.Remote, and with it the AWS SDK, only when this runs.
        [MethodImpl(MethodImplOptions.NoInlining)]
        private static IKmsBackend CreateRemote(Remote.RemoteKmsOptions options) => new Remote.RemoteKmsBackend(options);

        // The CLI's 0 means "no timeout".
        private static TimeSpan? Seconds(int? seconds) =>
            seconds == null ? (TimeSpan?)null : seconds.Value == 0 ? System.Threading.Timeout.InfiniteTimeSpan : TimeSpan.FromSeconds(seconds.Value);

        private static bool IsHttpUrl(string value) =>
            Uri.TryCreate(value, UriKind.Absolute, out Uri parsed) && (parsed.Scheme == "http" || parsed.Scheme == "https");

        private static string FirstOf(params string[] values)
        {
            foreach (string value in values)
                if (!string.IsNullOrWhiteSpace(value)) return value.Trim();
            return null;
        }
    }
}
