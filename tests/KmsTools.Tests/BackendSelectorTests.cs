using System;
using System.Collections.Generic;
using System.IO;
using KmsTools.Infrastructure;
using Xunit;

namespace KmsTools.Tests
{
    /// <summary>Where requests go, in the documented order: -Backend Local, then every way of naming an endpoint, then -Backend Remote.</summary>
    [Collection(ProcessWideState.Name)]
    public sealed class BackendSelectorTests : IDisposable
    {
        private static readonly string[] Variables = { "KMSTOOLS_BACKEND", "AWS_ENDPOINT_URL_KMS", "AWS_ENDPOINT_URL", "AWS_CONFIG_FILE", "AWS_PROFILE", "KMSTOOLS_HOME" };
        private readonly Dictionary<string, string> _saved = new Dictionary<string, string>();
        private readonly string _folder = Path.Combine(Path.GetTempPath(), "kmstools-selector-" + Guid.NewGuid().ToString("N"));

        public BackendSelectorTests()
        {
            foreach (string name in Variables)
            {
                _saved[name] = Environment.GetEnvironmentVariable(name);
                Environment.SetEnvironmentVariable(name, null);
            }
            Directory.CreateDirectory(_folder);
            Environment.SetEnvironmentVariable("KMSTOOLS_HOME", _folder);
            string config = Path.Combine(_folder, "config");
            File.WriteAllText(config, "[profile moto]\nendpoint_url = http://127.0.0.1:5003\nregion = eu-west-1\n");
            Environment.SetEnvironmentVariable("AWS_CONFIG_FILE", config);
        }

        public void Dispose()
        {
            foreach (var saved in _saved) Environment.SetEnvironmentVariable(saved.Key, saved.Value);
            Directory.Delete(_folder, true);
        }

        private static string Where(BackendSettings settings)
        {
            settings.NoSignRequest = true; // no credential lookup: only where the requests would go
            IKmsBackend backend = BackendSelector.Create(settings);
            (backend as IDisposable)?.Dispose();
            return backend.Description;
        }

        [Fact]
        public void TheLocalEngineByDefault() =>
            Assert.StartsWith("local KMS engine", Where(new BackendSettings()));

        [Fact]
        public void EndpointsRankParameterThenKmsVariableThenGeneralVariableThenProfile()
        {
            Environment.SetEnvironmentVariable("AWS_PROFILE", "moto");
            Assert.Contains("http://127.0.0.1:5003", Where(new BackendSettings()));
            Environment.SetEnvironmentVariable("AWS_ENDPOINT_URL", "http://127.0.0.1:5002");
            Assert.Contains("http://127.0.0.1:5002", Where(new BackendSettings()));
            Environment.SetEnvironmentVariable("AWS_ENDPOINT_URL_KMS", "http://127.0.0.1:5001");
            Assert.Contains("http://127.0.0.1:5001", Where(new BackendSettings()));
            Assert.Contains("http://127.0.0.1:5000", Where(new BackendSettings { EndpointUrl = "http://127.0.0.1:5000" }));
        }

        [Fact]
        public void TheProfilesRegionIsUsedUnlessRegionIsGiven()
        {
            Assert.Contains("(region eu-west-1)", Where(new BackendSettings { Profile = "moto" }));
            Assert.Contains("(region ap-south-1)", Where(new BackendSettings { Profile = "moto", Region = "ap-south-1" }));
        }

        [Fact]
        public void BackendLocalWinsOverEveryEndpoint()
        {
            Environment.SetEnvironmentVariable("AWS_ENDPOINT_URL_KMS", "http://127.0.0.1:5001");
            Assert.StartsWith("local KMS engine", Where(new BackendSettings { Backend = "Local", EndpointUrl = "http://127.0.0.1:5000" }));
            Environment.SetEnvironmentVariable("KMSTOOLS_BACKEND", "Local");
            Assert.StartsWith("local KMS engine", Where(new BackendSettings()));
            // The parameter wins over the variable.
            Assert.Contains("http://127.0.0.1:5001", Where(new BackendSettings { Backend = "Remote" }));
        }

        [Fact]
        public void BackendRemoteWithoutAnEndpointIsAwsKmsOfTheRegion() =>
            Assert.Contains("https://kms.eu-north-1.amazonaws.com", Where(new BackendSettings { Backend = "Remote", Region = "eu-north-1" }));

        [Fact]
        public void ABadVariableOrEndpointIsAValidationError()
        {
            Environment.SetEnvironmentVariable("KMSTOOLS_BACKEND", "Cloud");
            var error = Assert.Throws<KmsException>(() => Where(new BackendSettings()));
            Assert.Equal("ValidationException", error.ErrorCode);
            Assert.Equal("$KMSTOOLS_BACKEND is 'Cloud'; it must be Local or Remote.", error.Message);
            Environment.SetEnvironmentVariable("KMSTOOLS_BACKEND", null);
            error = Assert.Throws<KmsException>(() => Where(new BackendSettings { EndpointUrl = "ftp://x" }));
            Assert.Equal("EndpointUrl", error.MemberName);
        }
    }
}
