using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using KmsTools.Local;
using KmsTools.Model;
using KmsTools.Server;
using Newtonsoft.Json.Linq;

namespace KmsTools.Bench
{
    /// <summary>
    /// Start-KmsServer under load, against moto_server under the same load, in one run: GenerateDataKey requests per
    /// second with p50/p99 from 8 connections, kept alive where the server allows (prepared requests over raw sockets, so that the generator,
    /// which shares the cores, costs as little as it can), P-256
    /// GenerateDataKeyPairWithoutPlaintext against the server, the in-process engine's own GenerateDataKey rate at the
    /// same concurrency, and what one boto3 client in one process sees against each.
    /// </summary>
    internal static class ServerBenchmark
    {
        private const int Connections = 8;
        // Unsigned, as neither server checks signatures by default; the scope names the region for both.
        private const string Authorization = "AWS4-HMAC-SHA256 Credential=bench/20261201/us-east-1/kms/aws4_request, SignedHeaders=host, Signature=00";

        public static List<Dictionary<string, object>> Run(string workFolder, bool quick, out List<Dictionary<string, object>> targets)
        {
            TimeSpan duration = TimeSpan.FromSeconds(quick ? 2 : 5);
            string home = Path.Combine(workFolder, "server");
            var rows = new List<Dictionary<string, object>>();
            targets = new List<Dictionary<string, object>>();
            using (var server = new KmsServer(new KmsServerOptions { Home = home, Region = "us-east-1" }))
            using (var engine = new LocalKmsBackend(new LocalKmsOptions { Home = home, Region = "us-east-1", AccountId = LocalKmsOptions.DefaultAccountId }))
            {
                server.Start();
                string keyId = engine.CreateKey(new CreateKeyRequest()).KeyMetadata.KeyId;
                string dataKey = $"{{\"KeyId\":\"{keyId}\",\"KeySpec\":\"AES_256\"}}";

                Load ours = Drive(server.Url, "GenerateDataKey", dataKey, duration);
                rows.Add(Row("GenerateDataKey", "Start-KmsServer", ours));
                // The same generator against a responder that does nothing but answer a real GenerateDataKey response.
                Load ceiling;
                using (var canned = new CannedHttpResponder(Newtonsoft.Json.JsonConvert.SerializeObject(engine.GenerateDataKey(new GenerateDataKeyRequest { KeyId = keyId, KeySpec = "AES_256" }))))
                    ceiling = Drive(canned.Url, "GenerateDataKey", dataKey, duration);
                rows.Add(Row("GenerateDataKey", "a bare HTTP responder (a fixed answer, no KMS work: the transport's ceiling)", ceiling));
                Load pairs = Drive(server.Url, "GenerateDataKeyPairWithoutPlaintext", $"{{\"KeyId\":\"{keyId}\",\"KeyPairSpec\":\"ECC_NIST_P256\"}}", duration);
                rows.Add(Row("GenerateDataKeyPairWithoutPlaintext ECC_NIST_P256", "Start-KmsServer", pairs));
                double inProcess = EngineRate(() => engine.GenerateDataKey(new GenerateDataKeyRequest { KeyId = keyId, KeySpec = "AES_256" }), duration);
                rows.Add(new Dictionary<string, object> { ["operation"] = "GenerateDataKey", ["target"] = "in-process engine, 8 threads", ["requests_per_s"] = Math.Round(inProcess), ["p50_ms"] = "", ["p99_ms"] = "", ["errors"] = 0 });
                double inProcessPairs = EngineRate(() => engine.GenerateDataKeyPairWithoutPlaintext(new GenerateDataKeyPairWithoutPlaintextRequest { KeyId = keyId, KeyPairSpec = "ECC_NIST_P256" }), duration);
                rows.Add(new Dictionary<string, object> { ["operation"] = "GenerateDataKeyPairWithoutPlaintext ECC_NIST_P256", ["target"] = "in-process engine, 8 threads", ["requests_per_s"] = Math.Round(inProcessPairs), ["p50_ms"] = "", ["p99_ms"] = "", ["errors"] = 0 });

                Load moto = null;
                string motoUrl = null;
                using (Process motoServer = StartMoto(out motoUrl))
                {
                    if (motoServer != null)
                    {
                        try
                        {
                            string motoKey = CreateKey(motoUrl);
                            moto = Drive(new Uri(motoUrl), "GenerateDataKey", $"{{\"KeyId\":\"{motoKey}\",\"KeySpec\":\"AES_256\"}}", duration);
                            rows.Add(Row("GenerateDataKey", "moto_server", moto));
                            rows.Add(Boto3("moto_server", motoUrl, motoKey, quick));
                        }
                        finally { try { motoServer.Kill(); } catch (InvalidOperationException) { } }
                    }
                }
                rows.Add(Boto3("Start-KmsServer", server.Url.ToString(), keyId, quick));

                if (moto != null)
                    targets.Add(Target("GenerateDataKey >= 20x moto_server's, same load generator", $"{ours.RequestsPerSecond / moto.RequestsPerSecond:0.0}x ({ours.RequestsPerSecond:0} against {moto.RequestsPerSecond:0} requests/s)", ours.RequestsPerSecond >= 20 * moto.RequestsPerSecond));
                else
                    targets.Add(Target("GenerateDataKey >= 20x moto_server's, same load generator", "not measured: moto_server is not installed", false));
                targets.Add(Target("p99 < 5 ms at 8 connections (GenerateDataKey)", $"{ours.P99:0.00} ms", ours.P99 < 5));
                // The load generator shares the machine's cores with the server: on few cores HTTP's own cost (both
                // ends, and the kernel's loopback) bounds a microsecond operation such as GenerateDataKey far below
                // the engine's rate; a key pair, which costs the engine itself about a millisecond of CPU, shows the
                // server's overhead where the operation dominates.
                targets.Add(Target("server >= 0.5 of the in-process engine (GenerateDataKey)", $"{ours.RequestsPerSecond / inProcess:0.00} ({ours.RequestsPerSecond:0} against {inProcess:0}/s; {Environment.ProcessorCount} cores shared with the load generator, where a responder doing no work reaches {ceiling.RequestsPerSecond:0}/s, {ceiling.RequestsPerSecond / inProcess:0.00} of it, and the server {ours.RequestsPerSecond / ceiling.RequestsPerSecond:0.00} of that)", ours.RequestsPerSecond >= 0.5 * inProcess));
                targets.Add(Target("server >= 0.5 of the in-process engine (P-256 GenerateDataKeyPairWithoutPlaintext)", $"{pairs.RequestsPerSecond / inProcessPairs:0.00} ({pairs.RequestsPerSecond:0} against {inProcessPairs:0}/s)", pairs.RequestsPerSecond >= 0.5 * inProcessPairs));
                targets.Add(Target("no errors under load", $"{ours.Errors + pairs.Errors} errors", ours.Errors + pairs.Errors == 0));
            }
            return rows;
        }

        private sealed class Load
        {
            public double RequestsPerSecond;
            public double P50;
            public double P99;
            public int Errors;
        }

        /// <summary>
        /// 8 workers, each with its own connection (kept alive unless the server says Connection: close), sending the same prepared request bytes in a loop and
        /// reading each answer (head, then Content-Length bytes) before the next; after a 3 s warm-up. Raw sockets,
        /// not HttpClient: the generator shares the cores with the server, so the less it costs per request, the
        /// more the figure measures the server.
        /// </summary>
        private static Load Drive(Uri url, string operation, string body, TimeSpan duration)
        {
            byte[] payload = Encoding.UTF8.GetBytes(body);
            byte[] request = Encoding.ASCII.GetBytes(
                $"POST / HTTP/1.1\r\nHost: {url.Host}:{url.Port}\r\nX-Amz-Target: TrentService.{operation}\r\n" +
                $"Content-Type: application/x-amz-json-1.1\r\nAuthorization: {Authorization}\r\nContent-Length: {payload.Length}\r\n\r\n")
                .Concat(payload).ToArray();
            // Warm-up: tiered JIT takes the hot paths of both ends to their optimized code over the first seconds (under
            // wrk, the server answered 9.6k/s in its first 3 s and 20-26k/s after).
            RunFor(url, request, TimeSpan.FromSeconds(3));
            return RunFor(url, request, duration);
        }

        private static Load RunFor(Uri url, byte[] request, TimeSpan duration)
        {
            var latencies = new List<double>[Connections];
            int errors = 0;
            var clock = Stopwatch.StartNew();
            Task[] workers = Enumerable.Range(0, Connections).Select(w => Task.Run(async () =>
            {
                var mine = latencies[w] = new List<double>(200_000);
                var watch = new Stopwatch();
                TcpClient client = null;
                ResponseReader reader = null;
                try
                {
                    while (clock.Elapsed < duration)
                    {
                        watch.Restart();
                        // A server that closes after each answer (moto_server's werkzeug says Connection: close) costs a
                        // connection per request, as it would any client; the time of connecting counts.
                        if (client == null)
                        {
                            client = new TcpClient { NoDelay = true };
                            await client.ConnectAsync(url.Host, url.Port).ConfigureAwait(false);
                            reader = new ResponseReader(client.GetStream());
                        }
                        await client.GetStream().WriteAsync(request, 0, request.Length).ConfigureAwait(false);
                        int status = await reader.ReadAsync().ConfigureAwait(false);
                        mine.Add(watch.Elapsed.TotalMilliseconds);
                        if (status != 200) Interlocked.Increment(ref errors);
                        if (reader.Closes) { client.Dispose(); client = null; }
                    }
                }
                finally { client?.Dispose(); }
            })).ToArray();
            Task.WaitAll(workers);
            double seconds = clock.Elapsed.TotalSeconds;
            double[] all = latencies.SelectMany(l => l).OrderBy(x => x).ToArray();
            return new Load
            {
                RequestsPerSecond = all.Length / seconds,
                P50 = all[all.Length / 2],
                P99 = all[Math.Min(all.Length - 1, (int)(all.Length * 0.99))],
                Errors = errors,
            };
        }

        /// <summary>Reads one HTTP/1.1 response at a time from a keep-alive connection: its status, and its body skipped by Content-Length.</summary>
        private sealed class ResponseReader
        {
            private readonly NetworkStream _stream;
            private readonly byte[] _buffer = new byte[64 * 1024];
            private int _start, _end;

            public ResponseReader(NetworkStream stream) => _stream = stream;

            /// <summary>The last answer said Connection: close.</summary>
            public bool Closes { get; private set; }

            public async Task<int> ReadAsync()
            {
                int headEnd;
                while ((headEnd = HttpHead.End(_buffer, _start, _end)) < 0) await FillAsync().ConfigureAwait(false);
                string head = Encoding.ASCII.GetString(_buffer, _start, headEnd - _start);
                int status = int.Parse(head.Substring(9, 3), System.Globalization.CultureInfo.InvariantCulture);
                int length = HttpHead.ContentLength(head);
                Closes = head.IndexOf("Connection: close", StringComparison.OrdinalIgnoreCase) >= 0;
                _start = headEnd + 4;
                while (_end - _start < length) await FillAsync().ConfigureAwait(false);
                _start += length;
                return status;
            }

            private async Task FillAsync()
            {
                if (_start > 0)
                {
                    Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
                    _end -= _start;
                    _start = 0;
                }
                int read = await _stream.ReadAsync(_buffer, _end, _buffer.Length - _end).ConfigureAwait(false);
                if (read == 0) throw new IOException("The server closed the connection.");
                _end += read;
            }
        }

        /// <summary>The engine called directly from 8 threads, the server's concurrency, after a warm-up.</summary>
        private static double EngineRate(Action operation, TimeSpan duration)
        {
            for (int i = 0; i < 200; i++) operation();
            long done = 0;
            var clock = Stopwatch.StartNew();
            Parallel.For(0, Connections, new ParallelOptions { MaxDegreeOfParallelism = Connections }, _ =>
            {
                while (clock.Elapsed < duration)
                {
                    operation();
                    Interlocked.Increment(ref done);
                }
            });
            return done / clock.Elapsed.TotalSeconds;
        }

        private static Dictionary<string, object> Row(string operation, string target, Load load) => new Dictionary<string, object>
        {
            ["operation"] = operation, ["target"] = target + ", 8 connections (raw-socket generator; keep-alive where the server allows)", ["requests_per_s"] = Math.Round(load.RequestsPerSecond),
            ["p50_ms"] = Math.Round(load.P50, 2), ["p99_ms"] = Math.Round(load.P99, 2), ["errors"] = load.Errors,
        };

        private static Dictionary<string, object> Target(string target, string measured, bool met) =>
            new Dictionary<string, object> { ["target"] = target, ["measured"] = measured, ["met"] = met ? "yes" : "no" };

        /// <summary>moto_server on a free port, when it is installed; null otherwise.</summary>
        private static Process StartMoto(out string url)
        {
            url = null;
            int port;
            using (var probe = new TcpListener(IPAddress.Loopback, 0)) { probe.Start(); port = ((IPEndPoint)probe.LocalEndpoint).Port; probe.Stop(); }
            Process process;
            try
            {
                process = Process.Start(new ProcessStartInfo("moto_server", $"-H 127.0.0.1 -p {port}") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false });
            }
            catch (System.ComponentModel.Win32Exception)
            {
                Console.Error.WriteLine("moto_server is not installed: the comparison is skipped.");
                return null;
            }
            process.OutputDataReceived += (_, __) => { };
            process.ErrorDataReceived += (_, __) => { };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            url = $"http://127.0.0.1:{port}";
            var deadline = Stopwatch.StartNew();
            while (deadline.Elapsed < TimeSpan.FromSeconds(30))
            {
                try { using (var client = new TcpClient()) { client.Connect(IPAddress.Loopback, port); return process; } }
                catch (SocketException) { Thread.Sleep(100); }
            }
            process.Kill();
            throw new InvalidOperationException("moto_server did not start listening within 30 s.");
        }

        private static string CreateKey(string url)
        {
            using (var http = new HttpClient())
            using (var request = new HttpRequestMessage(HttpMethod.Post, url))
            {
                request.Headers.TryAddWithoutValidation("X-Amz-Target", "TrentService.CreateKey");
                request.Headers.TryAddWithoutValidation("Authorization", Authorization);
                request.Content = new StringContent("{}");
                request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/x-amz-json-1.1");
                string text = http.SendAsync(request).Result.Content.ReadAsStringAsync().Result;
                return (string)JObject.Parse(text)["KeyMetadata"]["KeyId"];
            }
        }

        /// <summary>One boto3 client in one Python process, GenerateDataKey in a loop: what a user's script sees.</summary>
        private static Dictionary<string, object> Boto3(string target, string url, string keyId, bool quick)
        {
            int calls = quick ? 200 : 1000;
            string script = "import boto3, sys, time\n" +
                            "kms = boto3.client('kms', endpoint_url=sys.argv[1], region_name='us-east-1', aws_access_key_id='test', aws_secret_access_key='test')\n" +
                            "for _ in range(20): kms.generate_data_key(KeyId=sys.argv[2], KeySpec='AES_256')\n" +
                            "times = []\n" +
                            "for _ in range(int(sys.argv[3])):\n" +
                            "    t = time.perf_counter(); kms.generate_data_key(KeyId=sys.argv[2], KeySpec='AES_256'); times.append(time.perf_counter() - t)\n" +
                            "times.sort(); print(len(times) / sum(times), times[len(times) // 2] * 1000, times[int(len(times) * 0.99)] * 1000)\n";
            try
            {
                var start = new ProcessStartInfo("python3") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
                foreach (string argument in new[] { "-c", script, url, keyId, calls.ToString(System.Globalization.CultureInfo.InvariantCulture) }) start.ArgumentList.Add(argument);
                using (Process python = Process.Start(start))
                {
                    string output = python.StandardOutput.ReadToEnd();
                    string error = python.StandardError.ReadToEnd();
                    python.WaitForExit();
                    if (python.ExitCode != 0) throw new InvalidOperationException(error);
                    double[] figures = output.Trim().Split(' ').Select(x => double.Parse(x, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
                    return new Dictionary<string, object>
                    {
                        ["operation"] = "GenerateDataKey", ["target"] = target + ", one boto3 client in one process", ["requests_per_s"] = Math.Round(figures[0]),
                        ["p50_ms"] = Math.Round(figures[1], 2), ["p99_ms"] = Math.Round(figures[2], 2), ["errors"] = 0,
                    };
                }
            }
            catch (Exception e) when (e is System.ComponentModel.Win32Exception || e is InvalidOperationException)
            {
                return new Dictionary<string, object> { ["operation"] = "GenerateDataKey", ["target"] = target + ", one boto3 client", ["requests_per_s"] = "not measured: " + e.Message.Split('\n')[0], ["p50_ms"] = "", ["p99_ms"] = "", ["errors"] = "" };
            }
        }
    }
}
