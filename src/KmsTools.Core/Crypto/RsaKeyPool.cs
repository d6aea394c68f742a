using System;
using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Threading.Tasks;

namespace KmsTools.Crypto
{
    /// <summary>
    /// An opt-in pool of RSA keys generated ahead of requests, for latency: RSA_4096 takes seconds to generate, a
    /// pooled key is handed out at once. Off unless $env:KMSTOOLS_RSA_POOL (keys kept per size, 1 to 16) is set.
    /// Trade-off: private keys exist in this process's memory before anyone asked for them (never on disk); each is
    /// handed out once and its parameters are zeroed as soon as they are encoded. A background task keeps the pool
    /// full; an empty pool simply falls back to generating on request.
    /// </summary>
    public static class RsaKeyPool
    {
        public const string EnvironmentVariable = "KMSTOOLS_RSA_POOL";
        private static readonly ConcurrentDictionary<int, ConcurrentQueue<RSAParameters>> Pools = new ConcurrentDictionary<int, ConcurrentQueue<RSAParameters>>();
        private static readonly ConcurrentDictionary<int, int> Refilling = new ConcurrentDictionary<int, int>();
        private static int _depth = ReadDepth();

        /// <summary>Keys kept ready per RSA size; 0 turns the pool off (and zeroes what it held).</summary>
        public static int Depth
        {
            get => _depth;
            set
            {
                _depth = Math.Max(0, Math.Min(16, value));
                if (_depth == 0) Clear();
            }
        }

        public static int Available(int bits) => Pools.TryGetValue(bits, out var queue) ? queue.Count : 0;

        /// <summary>Takes a pooled key (the caller zeroes it once encoded), or false; either way starts a refill.</summary>
        internal static bool TryTake(int bits, out RSAParameters parameters)
        {
            parameters = default(RSAParameters);
            if (_depth == 0) return false;
            bool taken = Pools.GetOrAdd(bits, _ => new ConcurrentQueue<RSAParameters>()).TryDequeue(out parameters);
            Refill(bits);
            return taken;
        }

        /// <summary>Fills the pool of one size in the background, one key after another (it never takes both cores).</summary>
        public static void Refill(int bits)
        {
            if (_depth == 0 || Refilling.TryAdd(bits, 1) == false) return;
            Task.Run(() =>
            {
                var queue = Pools.GetOrAdd(bits, _ => new ConcurrentQueue<RSAParameters>());
                try
                {
                    while (_depth > 0 && queue.Count < _depth)
                        queue.Enqueue(KeyPairGenerator.NewRsaParameters(bits));
                }
                finally
                {
                    Refilling.TryRemove(bits, out _);
                    // The pool was turned off while a key was being made: nothing stays behind.
                    if (_depth == 0) Clear();
                }
                // A TryTake between the loop's last count check and the flag's removal found the flag still set and
                // started nothing: look again now that the flag is gone, or that take would never be replaced.
                if (_depth > 0 && queue.Count < _depth) Refill(bits);
            });
        }

        private static void Clear()
        {
            foreach (var queue in Pools.Values)
                while (queue.TryDequeue(out RSAParameters p))
                    SecureBytes.Clear(p.D, p.P, p.Q, p.DP, p.DQ, p.InverseQ);
        }

        private static int ReadDepth()
        {
            string value = Environment.GetEnvironmentVariable(EnvironmentVariable);
            return int.TryParse(value, out int depth) ? Math.Max(0, Math.Min(16, depth)) : 0;
        }
    }
}
