using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net.Http;
using System.Text;
using System.Threading.Tasks;
using KmsTools.Local;
using KmsTools.Model;
using KmsTools.Server;
using Newtonsoft.Json.Linq;
using Xunit;

namespace KmsTools.Server.Tests
{
    /// <summary>
    /// Many clients at once over keep-alive connections, as a test suite or an application pool would: no errors,
    /// and afterwards a store in which every key made and every blob returned still opens. Bounded, so that the
    /// suite stays fast; the throughput figures are the benchmark's (build.ps1 -Task Bench), not a test's.
    /// </summary>
    public sealed class KmsServerLoadTests : IDisposable
    {
        private const int Clients = 8;
        private const int RequestsPerClient = 500;
        private readonly string _home = Path.Combine(Path.GetTempPath(), "kmstools-load-" + Guid.NewGuid().ToString("N"));

        public void Dispose()
        {
            try { Directory.Delete(_home, recursive: true); } catch (IOException) { }
        }

        [Fact]
        public async Task EightClientsOfFiveHundredMixedRequestsEndWithNoErrorAndEveryBlobOpens()
        {
            var server = new KmsServer(new KmsServerOptions { Home = _home, Region = "us-east-1" });
            server.Start();
            var blobs = new ConcurrentBag<(string Blob, string Context, byte[] Plaintext)>();
            var keys = new ConcurrentBag<string>();
            var failures = new ConcurrentBag<string>();
            try
            {
                string keyId;
                using (var setup = new HttpClient())
                    keyId = (string)(await Call(setup, server, "CreateKey", new JObject()))["KeyMetadata"]["KeyId"];
                keys.Add(keyId);

                await Task.WhenAll(Enumerable.Range(0, Clients).Select(client => Task.Run(async () =>
                {
                    using (var http = new HttpClient())
                    {
                        string lastBlob = null, lastContext = null;
                        byte[] lastPlaintext = null;
                        for (int i = 0; i < RequestsPerClient; i++)
                        {
                            string context = $"{client}-{i}";
                            try
                            {
                                switch (i % 6)
                                {
                                    case 0:
                                        JObject dataKey = await Call(http, server, "GenerateDataKey", new JObject { ["KeyId"] = keyId, ["KeySpec"] = "AES_256", ["EncryptionContext"] = new JObject { ["n"] = context } });
                                        blobs.Add(((string)dataKey["CiphertextBlob"], context, Convert.FromBase64String((string)dataKey["Plaintext"])));
                                        break;
                                    case 1:
                                        lastPlaintext = Encoding.UTF8.GetBytes("plaintext " + context);
                                        lastContext = context;
                                        lastBlob = (string)(await Call(http, server, "Encrypt", new JObject { ["KeyId"] = keyId, ["Plaintext"] = Convert.ToBase64String(lastPlaintext), ["EncryptionContext"] = new JObject { ["n"] = context } }))["CiphertextBlob"];
                                        blobs.Add((lastBlob, context, lastPlaintext));
                                        break;
                                    case 2:
                                        JObject opened = await Call(http, server, "Decrypt", new JObject { ["CiphertextBlob"] = lastBlob, ["EncryptionContext"] = new JObject { ["n"] = lastContext } });
                                        if (!Convert.FromBase64String((string)opened["Plaintext"]).SequenceEqual(lastPlaintext)) failures.Add("Decrypt returned another plaintext");
                                        break;
                                    case 3:
                                        JObject pair = await Call(http, server, "GenerateDataKeyPairWithoutPlaintext", new JObject { ["KeyId"] = keyId, ["KeyPairSpec"] = "ECC_NIST_P256", ["EncryptionContext"] = new JObject { ["n"] = context } });
                                        blobs.Add(((string)pair["PrivateKeyCiphertextBlob"], context, null));
                                        break;
                                    case 4:
                                        await Call(http, server, "DescribeKey", new JObject { ["KeyId"] = keyId });
                                        break;
                                    default:
                                        // Every 30th request makes a key: writes under load, beside the reads.
                                        if (i % 30 == 5) keys.Add((string)(await Call(http, server, "CreateKey", new JObject()))["KeyMetadata"]["KeyId"]);
                                        else await Call(http, server, "DescribeKey", new JObject { ["KeyId"] = keyId });
                                        break;
                                }
                            }
                            catch (Exception e)
                            {
                                failures.Add(e.Message);
                            }
                        }
                    }
                })));
            }
            finally
            {
                server.Stop();
            }

            Assert.Empty(failures);
            Assert.Equal(Clients * RequestsPerClient + 1, server.RequestCount);
            using (var engine = new LocalKmsBackend(new LocalKmsOptions { Home = _home, Region = "us-east-1", AccountId = LocalKmsOptions.DefaultAccountId }))
            {
                foreach (string key in keys) Assert.Equal(KeyState.Enabled, engine.DescribeKey(new DescribeKeyRequest { KeyId = key }).KeyMetadata.KeyState);
                Assert.Equal(keys.Count, engine.ListKeys(new ListKeysRequest { Limit = 1000 }).Keys.Count);
                foreach ((string blob, string context, byte[] plaintext) in blobs)
                {
                    byte[] opened = engine.Decrypt(new DecryptRequest { CiphertextBlob = Convert.FromBase64String(blob), EncryptionContext = new Dictionary<string, string> { ["n"] = context } }).Plaintext;
                    if (plaintext != null) Assert.Equal(plaintext, opened);
                    else Assert.True(opened.Length > 100, "a P-256 private key in PKCS#8");
                }
            }
        }

        [Fact]
        public async Task StoppingUnderLoadLosesNoKeyWhoseCreationWasAnswered()
        {
            var server = new KmsServer(new KmsServerOptions { Home = _home, Region = "us-east-1" });
            server.Start();
            var acknowledged = new ConcurrentBag<string>();
            Task[] clients = Enumerable.Range(0, Clients).Select(_ => Task.Run(async () =>
            {
                using (var http = new HttpClient())
                {
                    while (true)
                    {
                        try { acknowledged.Add((string)(await Call(http, server, "CreateKey", new JObject()))["KeyMetadata"]["KeyId"]); }
                        catch (Exception) { return; } // refused, reset or 503: the server is stopping
                    }
                }
            })).ToArray();
            while (acknowledged.Count < 40) await Task.Delay(5);
            server.Stop();
            await Task.WhenAll(clients);

            using (var engine = new LocalKmsBackend(new LocalKmsOptions { Home = _home, Region = "us-east-1", AccountId = LocalKmsOptions.DefaultAccountId }))
            {
                HashSet<string> stored = new HashSet<string>(engine.ListKeys(new ListKeysRequest { Limit = 1000 }).Keys.Select(k => k.KeyId));
                Assert.All(acknowledged, key => Assert.Contains(key, stored));
            }
        }

        private static async Task<JObject> Call(HttpClient http, KmsServer server, string operation, JObject body)
        {
            using (var request = new HttpRequestMessage(HttpMethod.Post, server.Url))
            {
                request.Headers.Add("X-Amz-Target", "TrentService." + operation);
                request.Content = new StringContent(body.ToString(Newtonsoft.Json.Formatting.None), Encoding.UTF8);
                request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/x-amz-json-1.1");
                using (HttpResponseMessage response = await http.SendAsync(request).ConfigureAwait(false))
                {
                    string text = await response.Content.ReadAsStringAsync().ConfigureAwait(false);
                    if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"{operation}: HTTP {(int)response.StatusCode} {text}");
                    return JObject.Parse(text);
                }
            }
        }
    }
}
