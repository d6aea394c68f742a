using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using KmsTools.Local;
using KmsTools.Model;

namespace KmsTools.Bench
{
    /// <summary>
    /// KeyId resolution, a data-key call and a locked update against a store of 10 keys and one of 100,000 keys, in
    /// one run, so the ratio is free of the machine's drift. Each opens files by name, so the ratio should be ~1.
    /// </summary>
    internal static class StoreScaleBenchmark
    {
        public static List<Dictionary<string, object>> Run(string workFolder, int largeStore)
        {
            var sizes = new[] { 10, largeStore };
            var stores = new Dictionary<int, LocalKmsBackend>();
            var probes = new Dictionary<int, string>();
            foreach (int size in sizes)
            {
                var kms = new LocalKmsBackend(new LocalKmsOptions { Home = Path.Combine(workFolder, "store-" + size), Region = "us-east-1", AccountId = "111122223333" });
                Console.Error.WriteLine($"  seeding {size:N0} keys...");
                probes[size] = Seed(kms, size);
                kms.CreateAlias(new CreateAliasRequest { AliasName = "alias/probe", TargetKeyId = probes[size] });
                stores[size] = kms;
            }

            var operations = new (string Name, int Samples, Action<LocalKmsBackend, string> Call)[]
            {
                ("DescribeKey by key id", 1000, (kms, id) => kms.DescribeKey(new DescribeKeyRequest { KeyId = id })),
                ("DescribeKey by alias", 1000, (kms, id) => kms.DescribeKey(new DescribeKeyRequest { KeyId = "alias/probe" })),
                ("GenerateDataKeyPairWithoutPlaintext ECC_NIST_P256 by alias", 400, (kms, id) =>
                    kms.GenerateDataKeyPairWithoutPlaintext(new GenerateDataKeyPairWithoutPlaintextRequest { KeyId = "alias/probe", KeyPairSpec = "ECC_NIST_P256" })),
                // A write under the key's lock: it must not list the keys folder (100,000 entries) to find stale temp files.
                ("UpdateKeyDescription (a locked, durable update)", 100, (kms, id) =>
                    kms.UpdateKeyDescription(new UpdateKeyDescriptionRequest { KeyId = id, Description = "probe" })),
            };
            var rows = new List<Dictionary<string, object>>();
            foreach (var operation in operations)
            {
                // Rounds alternate between the stores so that warm-up, tiered JIT and machine drift fall on both alike.
                var samples = sizes.ToDictionary(size => size, size => new List<double>());
                foreach (int size in sizes) Timing.Of(operation.Name, 200, () => operation.Call(stores[size], probes[size]));
                for (int round = 0; round < 6; round++)
                    foreach (int size in sizes)
                        samples[size].AddRange(Timing.Of(operation.Name, operation.Samples, () => operation.Call(stores[size], probes[size]), warmup: 0).All);
                Timing small = new Timing(operation.Name, samples[10]), large = new Timing(operation.Name, samples[largeStore]);
                rows.Add(new Dictionary<string, object>
                {
                    ["benchmark"] = operation.Name,
                    ["median_us_10_keys"] = Math.Round(small.Median, 1),
                    ["median_us_large"] = Math.Round(large.Median, 1),
                    ["large_store_keys"] = largeStore,
                    ["p10_p90_us_10_keys"] = $"{small.P10:F1}-{small.P90:F1}",
                    ["p10_p90_us_large"] = $"{large.P10:F1}-{large.P90:F1}",
                    ["ratio_large_over_10"] = Math.Round(large.Median / small.Median, 2),
                });
            }
            rows.Add(ListingRow(workFolder, stores[largeStore], largeStore));
            foreach (int size in sizes) Directory.Delete(Path.Combine(workFolder, "store-" + size), true);
            return rows;
        }

        /// <summary>
        /// ListKeys through every page (1,000 keys a page, as a script would), per key, in a 1,000-key store and the large
        /// one: a listing costs O(N), so the time per key should be flat. Each pass is a new engine, so nothing is cached
        /// from the pass before.
        /// </summary>
        private static Dictionary<string, object> ListingRow(string workFolder, LocalKmsBackend large, int largeStore)
        {
            var small = new LocalKmsBackend(new LocalKmsOptions { Home = Path.Combine(workFolder, "store-listing"), Region = "us-east-1", AccountId = "111122223333" });
            Seed(small, 1000);
            double PerKey(LocalKmsBackend store, int keys)
            {
                var fresh = new LocalKmsBackend(store.Options);
                var watch = System.Diagnostics.Stopwatch.StartNew();
                int listed = 0;
                string marker = null;
                do
                {
                    var page = fresh.ListKeys(new ListKeysRequest { Limit = 1000, Marker = marker });
                    listed += page.Keys.Count;
                    marker = page.Truncated == true ? page.NextMarker : null;
                }
                while (marker != null);
                if (listed < keys) throw new InvalidOperationException($"listed {listed} of {keys} keys");
                return watch.Elapsed.TotalMilliseconds * 1000 / listed;
            }
            var smallRuns = new List<double>();
            var largeRuns = new List<double>();
            for (int round = 0; round < 3; round++)
            {
                smallRuns.Add(PerKey(small, 1000));
                largeRuns.Add(PerKey(large, largeStore));
            }
            Directory.Delete(Path.Combine(workFolder, "store-listing"), true);
            double smallMedian = smallRuns.OrderBy(v => v).ElementAt(1), largeMedian = largeRuns.OrderBy(v => v).ElementAt(1);
            return new Dictionary<string, object>
            {
                ["benchmark"] = "ListKeys, every page of 1,000, per key (small store: 1,000 keys)",
                ["median_us_10_keys"] = Math.Round(smallMedian, 1),
                ["median_us_large"] = Math.Round(largeMedian, 1),
                ["large_store_keys"] = largeStore,
                ["p10_p90_us_10_keys"] = $"{smallRuns.Min():F1}-{smallRuns.Max():F1}",
                ["p10_p90_us_large"] = $"{largeRuns.Min():F1}-{largeRuns.Max():F1}",
                ["ratio_large_over_10"] = Math.Round(largeMedian / smallMedian, 2),
            };
        }

        /// <summary>Writes keys through the store itself (same files, same format), without the per-file flush to disk.</summary>
        private static string Seed(LocalKmsBackend kms, int count)
        {
            string last = null;
            for (int i = 0; i < count; i++)
            {
                string keyId = Guid.NewGuid().ToString("D");
                string materialId = LocalKmsBackend.NewKeyMaterialId();
                var record = new KeyRecord
                {
                    KeyId = keyId, CreationDate = DateTime.UtcNow, KeySpec = KeySpec.SYMMETRIC_DEFAULT,
                    KeyUsage = KeyUsageType.ENCRYPT_DECRYPT, KeyState = KeyState.Enabled, CurrentKeyMaterialId = materialId,
                };
                kms.Store.CreateKey(record, new[] { new KeyValuePair<string, byte[]>(materialId, LocalKmsBackend.RandomBytes(32)) }, durable: false);
                last = keyId;
            }
            return last;
        }
    }
}
