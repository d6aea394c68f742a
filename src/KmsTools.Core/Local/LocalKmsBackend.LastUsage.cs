using System;
using System.Collections.Concurrent;
using System.Threading;
using KmsTools.Model;

namespace KmsTools.Local
{
    // GetKeyLastUsage without making every cryptographic call a write: a backend notes each key's last successful
    // use in memory and writes it (one small file per key, no lock) when it is disposed, at the end of a cmdlet's
    // pipeline, or, for a long-lived backend such as the server's, at most every few seconds as calls go on.
    public sealed partial class LocalKmsBackend
    {
        private static readonly TimeSpan UsageFlushInterval = TimeSpan.FromSeconds(5);
        private readonly ConcurrentDictionary<string, KeyUsageRecord> _pendingUsage = new ConcurrentDictionary<string, KeyUsageRecord>(StringComparer.Ordinal);
        private long _lastUsageFlushTicks = DateTime.UtcNow.Ticks;

        public GetKeyLastUsageResponse GetKeyLastUsage(GetKeyLastUsageRequest request, CancellationToken cancellationToken = default)
        {
            Require(request);
            ValidateKeyId("KeyId", request.KeyId);
            KeyRecord key = ResolveFor("GetKeyLastUsage", request.KeyId);
            KeyUsageRecord stored = _store.TryReadUsage(key.KeyId);
            _pendingUsage.TryGetValue(key.KeyId, out KeyUsageRecord pending);
            KeyUsageRecord last = pending != null && (stored == null || pending.Timestamp > stored.Timestamp) ? pending : stored;
            // A key made before tracking began is tracked since its first recorded use, or from now.
            DateTime trackingStart = key.UsageTrackingStart ?? stored?.TrackingStartDate ?? pending?.TrackingStartDate ?? DateTime.UtcNow;
            return new GetKeyLastUsageResponse
            {
                KeyId = ArnOf(key.KeyId),
                KeyCreationDate = key.CreationDate,
                TrackingStartDate = trackingStart,
                KeyLastUsage = last == null ? null : new KeyLastUsageData { Operation = last.Operation, Timestamp = last.Timestamp, KmsRequestId = last.KmsRequestId },
            };
        }

        /// <summary>Notes a successful cryptographic operation with a key; written in a batch (see above).</summary>
        internal void NoteUse(KeyRecord key, string operation)
        {
            DateTime now = DateTime.UtcNow;
            _pendingUsage[key.KeyId] = new KeyUsageRecord
            {
                Operation = operation, Timestamp = now, KmsRequestId = Guid.NewGuid().ToString("D"),
                TrackingStartDate = key.UsageTrackingStart ?? now,
            };
            long last = Interlocked.Read(ref _lastUsageFlushTicks);
            if (now.Ticks - last > UsageFlushInterval.Ticks && Interlocked.CompareExchange(ref _lastUsageFlushTicks, now.Ticks, last) == last)
                FlushUsage();
        }

        /// <summary>Writes the noted uses. A store that cannot take them (read-only) keeps no record: usage is advisory.</summary>
        private void FlushUsage()
        {
            foreach (string keyId in _pendingUsage.Keys)
            {
                if (!_pendingUsage.TryRemove(keyId, out KeyUsageRecord usage)) continue;
                try
                {
                    _store.WriteUsage(keyId, usage);
                }
                catch (Exception e) when (e is KmsException || e is System.IO.IOException || e is UnauthorizedAccessException)
                {
                }
            }
        }
    }
}
