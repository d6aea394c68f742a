using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using KmsTools.Server;

namespace KmsTools.Infrastructure
{
    /// <summary>
    /// The servers Start-KmsServer started in this process and that are still running, by id. They live as long as the
    /// process (PowerShell has no session end a module can hook reliably); Stop-KmsServer ends one.
    /// </summary>
    internal static class KmsServers
    {
        private static readonly ConcurrentDictionary<int, KmsServerInfo> Running = new ConcurrentDictionary<int, KmsServerInfo>();
        private static int _lastId;

        public static KmsServerInfo Add(KmsServer server)
        {
            var info = new KmsServerInfo(Interlocked.Increment(ref _lastId), server);
            Running[info.Id] = info;
            return info;
        }

        public static IEnumerable<KmsServerInfo> All => Running.Values.OrderBy(s => s.Id).ToList();

        public static void Stop(KmsServerInfo info)
        {
            info.Server.Stop();
            Running.TryRemove(info.Id, out _);
        }
    }
}
