using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using KmsTools.Crypto;
using Newtonsoft.Json;

namespace KmsTools.Local
{
    /// <summary>An alias as the store keeps it (aliases/&lt;sha256 of name&gt;.json).</summary>
    internal sealed class AliasRecord
    {
        public int FormatVersion { get; set; } = 1;
        public string AliasName { get; set; }
        public string TargetKeyId { get; set; }
        public DateTime CreationDate { get; set; }
        public DateTime LastUpdatedDate { get; set; }
    }

    /// <summary>
    /// The durable local key store of one account and region:
    /// <code>
    /// &lt;home&gt;/store-v1/&lt;account&gt;/&lt;region&gt;/keys/&lt;key-id&gt;.json    metadata (no secrets)
    /// &lt;home&gt;/store-v1/&lt;account&gt;/&lt;region&gt;/keys/&lt;key-id&gt;.key     key material (owner-only)
    /// &lt;home&gt;/store-v1/&lt;account&gt;/&lt;region&gt;/aliases/&lt;sha256(name)&gt;.json
    /// </code>
    /// One file per key and per alias: a lookup opens one file whatever the store's size, writes are atomic
    /// renames, and exclusive creation makes alias names unique across processes. Alias files are named by a
    /// hash so that names differing only in case stay apart on case-insensitive file systems.
    /// </summary>
    internal sealed class KeyStore
    {
        private static readonly JsonSerializerSettings JsonSettings = new JsonSerializerSettings
        {
            DateTimeZoneHandling = DateTimeZoneHandling.Utc,
            NullValueHandling = NullValueHandling.Ignore,
            MissingMemberHandling = MissingMemberHandling.Ignore,
            Formatting = Formatting.Indented,
        };

        public KeyStore(string home, string accountId, string region)
        {
            RegionRoot = Path.Combine(home, "store-v1", accountId, region);
            KeysFolder = Path.Combine(RegionRoot, "keys");
            AliasesFolder = Path.Combine(RegionRoot, "aliases");
        }

        public string RegionRoot { get; }

        /// <summary>The store's existing folders, from the home down, are private to their owner (see <see cref="FilePermissions.RequirePrivateFolder"/>).</summary>
        public void RequirePrivateFolders(string home)
        {
            for (string folder = KeysFolder; folder != null; folder = Path.GetDirectoryName(folder))
            {
                FilePermissions.RequirePrivateFolder(folder);
                if (string.Equals(Path.GetFullPath(folder).TrimEnd(Path.DirectorySeparatorChar), Path.GetFullPath(home).TrimEnd(Path.DirectorySeparatorChar), StringComparison.Ordinal)) break;
            }
            FilePermissions.RequirePrivateFolder(AliasesFolder);
        }
        private string KeysFolder { get; }
        private string AliasesFolder { get; }

        /// <summary>
        /// A key's metadata. The file name is the key id that every path is made from; a record that names another key
        /// (or something that is not a key id, such as "../../escaped") is a damaged file, never acted on: trusting it
        /// would send an update to another key's files or a lock outside the store.
        /// </summary>
        public KeyRecord TryReadKey(string keyId)
        {
            string path = MetadataPath(keyId);
            KeyRecord record = ReadJson<KeyRecord>(path);
            if (record != null && !string.Equals(record.KeyId, keyId, StringComparison.Ordinal))
                throw Damaged(path, $"its KeyId '{Redaction.Shorten(record.KeyId)}' is not the key id of its file name");
            return record;
        }


        private readonly System.Collections.Concurrent.ConcurrentDictionary<string, (long Ticks, long Length, KeyRecord Record)> _metadata =
            new System.Collections.Concurrent.ConcurrentDictionary<string, (long, long, KeyRecord)>(StringComparer.Ordinal);

        /// <summary>
        /// A key's metadata for reading only (never mutate it): parsed once, then served again while the file's
        /// write time and length are unchanged, which costs one stat instead of a read and a JSON parse. Every
        /// write is a rename of a new file, so any change, by any process, gives a new stamp.
        /// </summary>
        public KeyRecord TryReadKeyCached(string keyId)
        {
            var file = new FileInfo(MetadataPath(keyId));
            if (!file.Exists)
            {
                _metadata.TryRemove(keyId, out _);
                return null;
            }
            long ticks = file.LastWriteTimeUtc.Ticks, length = file.Length;
            if (_metadata.TryGetValue(keyId, out var cached) && cached.Ticks == ticks && cached.Length == length)
                return cached.Record;
            KeyRecord record = TryReadKey(keyId);
            if (record != null) _metadata[keyId] = (ticks, length, record);
            return record;
        }

        public byte[] ReadKeyMaterial(string keyId, string keyMaterialId) => KeyMaterialFile.Read(MaterialPath(keyId), keyMaterialId);

        /// <summary>Every material entry of a key, oldest first (a multi-Region replica gets them all). The caller zeroes them.</summary>
        public List<KeyValuePair<string, byte[]>> ReadAllKeyMaterial(string keyId) => KeyMaterialFile.ReadAll(MaterialPath(keyId));

        /// <summary>Writes material first and metadata last: a key exists once its metadata does, so a crash in between leaves no half key.</summary>
        public void CreateKey(KeyRecord record, IList<KeyValuePair<string, byte[]>> materials) => CreateKey(record, materials, durable: true);

        /// <param name="durable">False only to seed large benchmark stores: skips the flush to disk.</param>
        internal void CreateKey(KeyRecord record, IList<KeyValuePair<string, byte[]>> materials, bool durable)
        {
            EnsureFolder(KeysFolder);
            byte[] material = KeyMaterialFile.Serialize(materials);
            try
            {
                if (!AtomicFile.TryCreate(MaterialPath(record.KeyId), material, durable))
                    throw new KmsException(KmsErrorCodes.KMSInternal, "Key id collision for " + record.KeyId + ".");
            }
            finally
            {
                SecureBytes.Clear(material);
            }
            if (!AtomicFile.TryCreate(MetadataPath(record.KeyId), Serialize(record), durable))
                throw new KmsException(KmsErrorCodes.KMSInternal, "Key id collision for " + record.KeyId + ".");
        }

        /// <summary>Replaces a key's metadata in one atomic step. Call it under <see cref="LockKey"/>.</summary>
        public void ReplaceKey(KeyRecord record) =>
            AtomicFile.Replace(MetadataPath(record.KeyId), Serialize(record), Unusable, lockedTemp: LockedTemp(MetadataPath(record.KeyId)));

        /// <summary>Adds key material (rotation). Call it under <see cref="LockKey"/>, before the metadata names the new material.</summary>
        public void AddKeyMaterial(string keyId, string keyMaterialId, byte[] material)
        {
            string path = MaterialPath(keyId);
            List<KeyValuePair<string, byte[]>> all = KeyMaterialFile.ReadAll(path);
            byte[] content = null;
            try
            {
                all.Add(new KeyValuePair<string, byte[]>(keyMaterialId, material));
                content = KeyMaterialFile.Serialize(all);
                AtomicFile.Replace(path, content, Unusable, lockedTemp: LockedTemp(path));
            }
            finally
            {
                foreach (var entry in all) if (entry.Value != material) SecureBytes.Clear(entry.Value);
                SecureBytes.Clear(content);
            }
        }

        /// <summary>Removes the materials <paramref name="which"/> picks (imported material deleted, import wrapping keys expired). Call it under <see cref="LockKey"/>.</summary>
        public void RemoveKeyMaterial(string keyId, Func<string, bool> which)
        {
            string path = MaterialPath(keyId);
            List<KeyValuePair<string, byte[]>> all = KeyMaterialFile.ReadAll(path);
            byte[] content = null;
            try
            {
                if (!all.Any(entry => which(entry.Key))) return;
                content = KeyMaterialFile.Serialize(all.Where(entry => !which(entry.Key)).ToList());
                AtomicFile.Replace(path, content, Unusable, lockedTemp: LockedTemp(path));
            }
            finally
            {
                foreach (var entry in all) SecureBytes.Clear(entry.Value);
                SecureBytes.Clear(content);
            }
        }

        /// <summary>
        /// Deletes a key: metadata first, so the key is gone at once; then its material and every temp file a killed
        /// writer left (they hold key material too), whatever their name.
        /// </summary>
        public void DeleteKey(string keyId)
        {
            RemoveStaleTempFiles(keyId);
            TryDeleteFile(MetadataPath(keyId));
            TryDeleteFile(MaterialPath(keyId));
            TryDeleteFile(UsagePath(keyId));
            RemoveStaleTempFiles(keyId, everyName: true);
        }

        /// <summary>
        /// The key's lock: it serializes read-modify-write updates of one key across threads and processes. Every writer
        /// of an existing key holds it and writes through the key's two locked temp names, so what is found under those
        /// names is stale (a writer killed between writing and renaming, a full disk) and is removed: it may hold every
        /// material. Two unlinks, not a listing of the folder, so an update costs the same with 10 keys or 100,000.
        /// </summary>
        public IDisposable LockKey(string keyId)
        {
            EnsureFolder(KeysFolder);
            FileLock held = FileLock.Acquire(Path.Combine(KeysFolder, keyId + ".lock"));
            RemoveStaleTempFiles(keyId);
            return held;
        }

        private static string LockedTemp(string path) => path + ".locked.tmp";

        private void RemoveStaleTempFiles(string keyId, bool everyName = false)
        {
            if (!KeyIdentifier.IsKeyId(keyId)) return;
            TryDeleteFile(LockedTemp(MetadataPath(keyId)));
            TryDeleteFile(LockedTemp(MaterialPath(keyId)));
            // Creation writes under fresh names (no lock exists before the key does): a creator killed mid-write leaves
            // one, found when the key is deleted.
            if (!everyName || !Directory.Exists(KeysFolder)) return;
            foreach (string pattern in new[] { keyId + ".key.*.tmp", keyId + ".json.*.tmp", keyId + ".usage.*.tmp" })
                foreach (string temp in Directory.EnumerateFiles(KeysFolder, pattern))
                    TryDeleteFile(temp);
        }

        /// <summary>Serializes updates and deletion of one alias across threads and processes.</summary>
        public IDisposable LockAlias(string aliasName)
        {
            EnsureFolder(AliasesFolder);
            return FileLock.Acquire(Path.ChangeExtension(AliasPath(aliasName), ".lock"));
        }

        public void ReplaceAlias(AliasRecord alias) => AtomicFile.Replace(AliasPath(alias.AliasName), Serialize(alias));

        public void DeleteAlias(string aliasName) => TryDeleteFile(AliasPath(aliasName));

        /// <summary>
        /// Key ids in ordinal order (ListKeys pages by it). The sorted list is kept while the keys folder's write time is
        /// unchanged: every create, delete and replace is a new name in the folder or a rename into it, which changes it;
        /// so paging through N keys reads the folder once, not once per page.
        /// </summary>
        public IReadOnlyList<string> ListKeyIds()
        {
            if (!Directory.Exists(KeysFolder)) return new string[0];
            long stamp = Directory.GetLastWriteTimeUtc(KeysFolder).Ticks;
            var cached = _keyIds;
            if (cached != null && cached.Stamp == stamp) return cached.Items;
            var ids = Directory.EnumerateFiles(KeysFolder, "*.json")
                .Select(Path.GetFileNameWithoutExtension)
                .Where(KeyIdentifier.IsKeyId)
                .OrderBy(id => id, StringComparer.Ordinal)
                .ToList();
            _keyIds = new Listing<string>(stamp, ids);
            return ids;
        }

        private sealed class Listing<T>
        {
            public Listing(long stamp, List<T> items) { Stamp = stamp; Items = items; }
            public long Stamp { get; }
            public List<T> Items { get; }
        }

        private volatile Listing<string> _keyIds;
        private volatile Listing<AliasRecord> _aliases;

        /// <summary>The index of the first of <paramref name="sorted"/> that comes after <paramref name="marker"/> in ordinal order.</summary>
        public static int After<T>(IReadOnlyList<T> sorted, Func<T, string> name, string marker)
        {
            int low = 0, high = sorted.Count;
            while (low < high)
            {
                int middle = (low + high) / 2;
                if (string.CompareOrdinal(name(sorted[middle]), marker) <= 0) low = middle + 1;
                else high = middle;
            }
            return low;
        }

        public AliasRecord TryReadAlias(string aliasName)
        {
            var record = ReadJson<AliasRecord>(AliasPath(aliasName));
            // The file name is a hash; the name inside decides (and guards against a foreign file).
            return record != null && record.AliasName == aliasName ? record : null;
        }

        public bool TryCreateAlias(AliasRecord alias)
        {
            EnsureFolder(AliasesFolder);
            return AtomicFile.TryCreate(AliasPath(alias.AliasName), Serialize(alias));
        }

        /// <summary>
        /// Every alias of the store. A file that is damaged, foreign, or not at the place its name hashes to is skipped on
        /// its own (as ListKeys skips unknown files), so that one stray file neither hides every alias nor stops a purge.
        /// </summary>
        public IReadOnlyList<AliasRecord> ListAliases()
        {
            if (!Directory.Exists(AliasesFolder)) return new AliasRecord[0];
            // As ListKeyIds: kept while the folder's write time is unchanged (every alias write is a rename into it).
            long stamp = Directory.GetLastWriteTimeUtc(AliasesFolder).Ticks;
            var cached = _aliases;
            if (cached != null && cached.Stamp == stamp) return cached.Items;
            var aliases = new List<AliasRecord>();
            foreach (string path in Directory.EnumerateFiles(AliasesFolder, "*.json"))
            {
                AliasRecord alias;
                try
                {
                    alias = ReadJson<AliasRecord>(path);
                }
                catch (KmsException e) when (e.ErrorCode == KmsErrorCodes.KMSInternal)
                {
                    continue;
                }
                if (alias?.AliasName != null && string.Equals(AliasPath(alias.AliasName), path, StringComparison.Ordinal)) aliases.Add(alias);
            }
            var sorted = aliases.OrderBy(a => a.AliasName, StringComparer.Ordinal).ToList();
            _aliases = new Listing<AliasRecord>(stamp, sorted);
            return sorted;
        }

        /// <summary>An I/O failure of a store file (a full disk, a folder where a file should be, no permission), as a KMS error naming the file and the cause.</summary>
        internal static KmsException Unusable(string path, string verb, Exception cause) =>
            new KmsException(KmsErrorCodes.KMSInternal,
                $"The local key store file '{path}' cannot be {(verb == "read" ? "read" : "written")}: {cause.Message}" + (verb == "read" ? string.Empty : " Nothing was changed."), null, cause);

        internal static KmsException Damaged(string path, string reason) =>
            new KmsException(KmsErrorCodes.KMSInternal,
                $"The local key store file '{path}' is damaged or not a KmsTools file ({reason}). Restore it from a backup or move it out of the store; the rest of the store keeps working.");

        private string MetadataPath(string keyId) => Path.Combine(KeysFolder, keyId + ".json");

        private string MaterialPath(string keyId) => Path.Combine(KeysFolder, keyId + ".key");

        private string UsagePath(string keyId) => Path.Combine(KeysFolder, keyId + ".usage");

        /// <summary>A key's last use as last written (GetKeyLastUsage), or null.</summary>
        public KeyUsageRecord TryReadUsage(string keyId) => ReadJson<KeyUsageRecord>(UsagePath(keyId));

        /// <summary>
        /// Writes a key's last use, keeping whichever use is newer than what another process wrote meanwhile. Takes no
        /// lock (a last-use record is advisory, and must never make a cryptographic call wait); the write is atomic.
        /// </summary>
        public void WriteUsage(string keyId, KeyUsageRecord usage)
        {
            KeyUsageRecord stored = TryReadUsage(keyId);
            if (stored != null && stored.Timestamp >= usage.Timestamp) return;
            if (stored != null && stored.TrackingStartDate < usage.TrackingStartDate) usage.TrackingStartDate = stored.TrackingStartDate;
            AtomicFile.Replace(UsagePath(keyId), Serialize(usage), Unusable, mayCreate: true);
        }

        private static void TryDeleteFile(string path)
        {
            try
            {
                File.Delete(path);
            }
            catch (DirectoryNotFoundException)
            {
            }
        }

        private string AliasPath(string aliasName)
        {
            using (var sha = SHA256.Create())
                return Path.Combine(AliasesFolder, Hex.ToLower(sha.ComputeHash(Encoding.UTF8.GetBytes(aliasName))) + ".json");
        }

        private static byte[] Serialize(object record) =>
            Encoding.UTF8.GetBytes(JsonConvert.SerializeObject(record, JsonSettings));

        private static T ReadJson<T>(string path) where T : class
        {
            string text;
            try
            {
                text = File.ReadAllText(path, Encoding.UTF8);
            }
            catch (FileNotFoundException)
            {
                return null;
            }
            catch (DirectoryNotFoundException)
            {
                return null;
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                throw Unusable(path, "read", e);
            }
            try
            {
                return JsonConvert.DeserializeObject<T>(text, JsonSettings) ?? throw Damaged(path, "the file is empty");
            }
            catch (JsonException e)
            {
                throw Damaged(path, e.Message);
            }
        }

        private void EnsureFolder(string folder)
        {
            if (Directory.Exists(folder)) return;
            // Create each missing level owner-only; folders the user made already are left as they are.
            var levels = new Stack<string>();
            for (string f = folder; f != null && !Directory.Exists(f); f = Path.GetDirectoryName(f))
                levels.Push(f);
            while (levels.Count > 0)
            {
                string level = levels.Pop();
                Directory.CreateDirectory(level);
                FilePermissions.RestrictDirectory(level);
            }
        }
    }
}
