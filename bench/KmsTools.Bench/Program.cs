using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Newtonsoft.Json;

namespace KmsTools.Bench
{
    /// <summary>Runs the engine benchmarks and writes results (JSON and a markdown table) to the folder given.</summary>
    internal static class Program
    {
        private static int Main(string[] args)
        {
            string results = args.Length > 0 ? args[0] : Path.Combine("bench", "results");
            int largeStore = args.Length > 1 ? int.Parse(args[1]) : 100_000;
            bool quick = args.Contains("--quick");
            Directory.CreateDirectory(results);
            string work = Path.Combine(Path.GetTempPath(), "kmstools-bench-" + Guid.NewGuid().ToString("N"));
            try
            {
                Console.Error.WriteLine("The KMS server under load, against moto_server");
                Write(results, "server", ServerBenchmark.Run(work, quick, out List<Dictionary<string, object>> serverTargets));
                Write(results, "server-targets", serverTargets);
                if (args.Contains("--server-only")) return 0;
                Console.Error.WriteLine("Sign and Verify: raw primitive against the engine");
                Write(results, "signatures", SignatureBenchmark.Run(work, quick));
                if (args.Contains("--signatures-only")) return 0;
                Console.Error.WriteLine("Key pairs: raw primitive against the engine, per spec");
                Write(results, "keypairs", KeyPairBenchmark.Run(work, quick));
                Console.Error.WriteLine("RSA_4096 latency with the opt-in pool");
                Write(results, "pool", KeyPairBenchmark.Pool(work));
                Console.Error.WriteLine("Doomed requests");
                Write(results, "doomed", KeyPairBenchmark.Doomed(work));
                Console.Error.WriteLine("Store scale: 10 keys against " + largeStore.ToString("N0") + " keys");
                List<Dictionary<string, object>> rows = StoreScaleBenchmark.Run(work, largeStore);
                File.WriteAllText(Path.Combine(results, "store-scale.json"), JsonConvert.SerializeObject(rows, Formatting.Indented));
                string table = ToMarkdown(rows);
                File.WriteAllText(Path.Combine(results, "store-scale.md"), table);
                Console.WriteLine(table);
                return 0;
            }
            finally
            {
                if (Directory.Exists(work)) Directory.Delete(work, true);
            }
        }

        private static void Write(string folder, string name, List<Dictionary<string, object>> rows)
        {
            File.WriteAllText(Path.Combine(folder, name + ".json"), JsonConvert.SerializeObject(rows, Formatting.Indented));
            string table = ToMarkdown(rows);
            File.WriteAllText(Path.Combine(folder, name + ".md"), table);
            Console.WriteLine(table);
        }

        private static string ToMarkdown(List<Dictionary<string, object>> rows)
        {
            var columns = rows[0].Keys.ToList();
            var lines = new List<string>
            {
                "| " + string.Join(" | ", columns) + " |",
                "|" + string.Concat(columns.Select(_ => "---|")),
            };
            lines.AddRange(rows.Select(r => "| " + string.Join(" | ", columns.Select(c => Convert.ToString(r[c], System.Globalization.CultureInfo.InvariantCulture))) + " |"));
            return string.Join(Environment.NewLine, lines) + Environment.NewLine;
        }
    }
}
