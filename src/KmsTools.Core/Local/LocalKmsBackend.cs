using System;
using System.Threading;
using System.Collections.Generic;
using System.Linq;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using KmsTools.Crypto;
using KmsTools.Model;

namespace KmsTools.Local
{
    /// <summary>
    /// The embedded KMS: KMS semantics (key states, key usage, errors and their texts) over the on-disk
    /// <see cref="KeyStore"/>. Every request is validated, its key resolved and checked, and DryRun honoured
    /// before any key generation or decryption, so a doomed request costs microseconds.
    /// </summary>
    public sealed partial class LocalKmsBackend : IKmsBackend, IDisposable
    {
        private static readonly Regex AliasNamePattern = new Regex("^[a-zA-Z0-9:/_-]+$", RegexOptions.CultureInvariant);
        private readonly KeyStore _store;

        internal KeyStore Store => _store;
        private readonly string _partition;

        public LocalKmsBackend(LocalKmsOptions options)
        {
            if (options == null) throw new ArgumentNullException(nameof(options));
            options.Validate();
            Options = options;
            _partition = AwsRegion.PartitionOf(options.Region);
            // A home that is a file would list no keys and fail creates with a raw IOException: say what is wrong instead.
            if (System.IO.File.Exists(options.Home))
                throw new KmsException(KmsErrorCodes.KMSInternal,
                    $"The local key store folder '{options.Home}' is a file. Point {KmsToolsHome.EnvironmentVariable} at a folder (it is created when missing), or unset it for the default.");
            _store = new KeyStore(options.Home, options.AccountId, options.Region);
            _store.RequirePrivateFolders(options.Home);
        }

        public LocalKmsOptions Options { get; }
        public string Region => Options.Region;
        public string Description => $"local KMS engine, store '{Options.Home}', account {Options.AccountId}, region {Options.Region}";

        public CreateKeyResponse CreateKey(CreateKeyRequest request, CancellationToken cancellationToken = default)
        {
            request = request ?? new CreateKeyRequest();
            Require(request);
            if (request.Description != null) Validation.Length("Description", request.Description, 0, 8192);
            // CustomerMasterKeySpec is KeySpec's deprecated name, which AWS still takes (the aws CLI's --customer-master-key-spec).
            if (request.KeySpec != null && request.CustomerMasterKeySpec != null)
                throw new KmsException(KmsErrorCodes.Validation,
                    "KeySpec and CustomerMasterKeySpec are the same parameter under two names (CustomerMasterKeySpec is deprecated): give one of them.", "CustomerMasterKeySpec");
            string spec = request.KeySpec != null ? Validation.OneOf("KeySpec", request.KeySpec, KeySpec.Values)
                : request.CustomerMasterKeySpec != null ? Validation.OneOf("CustomerMasterKeySpec", request.CustomerMasterKeySpec, KeySpec.Values)
                : KeySpec.SYMMETRIC_DEFAULT;
            string usage;
            if (request.KeyUsage != null)
                usage = Validation.OneOf("KeyUsage", request.KeyUsage, KeyUsageType.Values);
            else if (spec == KeySpec.SYMMETRIC_DEFAULT)
                usage = KeyUsageType.ENCRYPT_DECRYPT;
            else
                throw new KmsException(KmsErrorCodes.Validation,
                    "You must specify a KeyUsage value for all KMS keys except for symmetric encryption keys.", "KeyUsage");
            if (!KeyAlgorithms.UsagesOf(spec).Contains(usage))
                throw new KmsException(KmsErrorCodes.Validation, $"KeyUsage {usage} is not compatible with KeySpec {spec}", "KeyUsage");
            if (spec == "SM2" && !AwsRegion.SupportsSm2(Region))
                throw new KmsException(KmsErrorCodes.UnsupportedOperation, "KeySpec SM2 is not supported in this Region", "KeySpec");
            ValidateTags(request.Tags);
            string origin = request.Origin == null ? OriginType.AWS_KMS : Validation.OneOf("Origin", request.Origin, OriginType.Values);
            if (origin == OriginType.AWS_CLOUDHSM || origin == OriginType.EXTERNAL_KEY_STORE)
                throw new KmsException(KmsErrorCodes.UnsupportedOperation,
                    $"The local engine has no custom key stores, so no keys of origin {origin}; send the request to AWS KMS (-Backend Remote).", "Origin");
            bool external = origin == OriginType.EXTERNAL;
            KeyPolicy policy = request.Policy == null ? null : KeyPolicy.Validate("Policy", request.Policy);

            bool multiRegion = request.MultiRegion == true;
            // A multi-Region key's id is the same in every region of its set: mrk- and 32 hex digits.
            string keyId = multiRegion ? "mrk-" + Hex.ToLower(RandomBytes(16)) : Guid.NewGuid().ToString("D");
            // The lockout check needs the key's ARN, so it runs once the id is drawn; still before any key material exists.
            if (policy != null) RequireLockoutSafe(policy, ArnOf(keyId), request.BypassPolicyLockoutSafetyCheck);
            string materialId = NewKeyMaterialId();
            DateTime now = DateTime.UtcNow;
            var record = new KeyRecord
            {
                KeyId = keyId,
                CreationDate = now,
                Description = request.Description ?? string.Empty,
                KeySpec = spec,
                KeyUsage = usage,
                Tags = request.Tags?.Select(t => new Tag { TagKey = t.TagKey, TagValue = t.TagValue }).ToList() ?? new List<Tag>(),
                Policy = request.Policy,
                Origin = origin,
                KeyState = external ? KeyState.PendingImport : KeyState.Enabled,
                MultiRegion = multiRegion,
                PrimaryRegion = multiRegion ? Region : null,
                UsageTrackingStart = now,
            };
            if (external)
            {
                // A key for imported material has none until ImportKeyMaterial brings it.
                _store.CreateKey(record, new List<KeyValuePair<string, byte[]>>());
                return new CreateKeyResponse { KeyMetadata = MetadataOf(record) };
            }
            byte[] material = null;
            try
            {
                if (spec == KeySpec.SYMMETRIC_DEFAULT || KeySpec.IsHmac(spec))
                {
                    material = RandomBytes(spec == KeySpec.SYMMETRIC_DEFAULT ? CiphertextFormat.KeyMaterialLength : KeyAlgorithms.HmacKeyLength(spec));
                }
                else
                {
                    using (GeneratedKeyPair pair = SlowWork.Run(() => KeyPairGenerator.Generate(spec), cancellationToken, abandoned => abandoned.Dispose()))
                    {
                        record.PublicKey = pair.PublicKeyInfo;
                        material = (byte[])pair.PrivateKeyPkcs8.Clone();
                    }
                }
                // KMS reports key material ids for symmetric encryption keys only.
                if (spec == KeySpec.SYMMETRIC_DEFAULT) record.CurrentKeyMaterialId = materialId;
                _store.CreateKey(record, new[] { new KeyValuePair<string, byte[]>(materialId, material) });
            }
            finally
            {
                SecureBytes.Clear(material);
            }
            return new CreateKeyResponse { KeyMetadata = MetadataOf(record) };
        }

        public DescribeKeyResponse DescribeKey(DescribeKeyRequest request, CancellationToken cancellationToken = default)
        {
            Require(request);
            ValidateKeyId("KeyId", request.KeyId);
            ValidateGrantTokens(request.GrantTokens);
            return new DescribeKeyResponse { KeyMetadata = MetadataOf(ResolveFor("DescribeKey", request.KeyId)) };
        }

        public ListKeysResponse ListKeys(ListKeysRequest request, CancellationToken cancellationToken = default)
        {
            request = request ?? new ListKeysRequest();
            Require(request);
            int limit = request.Limit ?? 100;
            Validation.Range("Limit", limit, 1, 1000);
            IReadOnlyList<string> all = _store.ListKeyIds();
            int start = 0;
            if (request.Marker != null)
            {
                Validation.Length("Marker", request.Marker, 1, 1024);
                start = KeyStore.After(all, id => id, request.Marker);
            }
            // Only the keys of this page are read (a due purge drops one), so a page costs its own keys, not the store's.
            List<string> page = Enumerable.Range(start, all.Count - start).Select(i => all[i]).Where(IsListed).Take(limit + 1).ToList();
            bool truncated = page.Count > limit;
            if (truncated) page.RemoveAt(limit);
            return new ListKeysResponse
            {
                Keys = page.Select(id => new KeyListEntry { KeyId = id, KeyArn = ArnOf(id) }).ToList(),
                Truncated = truncated,
                NextMarker = truncated ? page[page.Count - 1] : null,
            };
        }

        public CreateAliasResponse CreateAlias(CreateAliasRequest request, CancellationToken cancellationToken = default)
        {
            Require(request);
            ValidateAliasName(request.AliasName);
            ValidateKeyId("TargetKeyId", request.TargetKeyId);
            KeyIdentifier target = KeyIdentifier.Parse(request.TargetKeyId);
            if (target != null && target.IsAlias)
                throw new KmsException(KmsErrorCodes.Validation, "Aliases must refer to keys. Not aliases", "TargetKeyId");
            KeyRecord key = ResolveFor("CreateAlias", request.TargetKeyId, "TargetKeyId");
            if (key.KeyState == KeyState.PendingDeletion)
                throw new KmsException(KmsErrorCodes.KMSInvalidState, $"{ArnOf(key.KeyId)} is pending deletion.", "TargetKeyId");

            DateTime now = DateTime.UtcNow;
            var alias = new AliasRecord { AliasName = request.AliasName, TargetKeyId = key.KeyId, CreationDate = now, LastUpdatedDate = now };
            if (!_store.TryCreateAlias(alias))
                throw new KmsException(KmsErrorCodes.AlreadyExists,
                    $"An alias with the name {AliasArnOf(request.AliasName)} already exists", "AliasName");
            return new CreateAliasResponse();
        }

        public ListAliasesResponse ListAliases(ListAliasesRequest request, CancellationToken cancellationToken = default)
        {
            request = request ?? new ListAliasesRequest();
            Require(request);
            int limit = request.Limit ?? 100;
            Validation.Range("Limit", limit, 1, 100);
            IReadOnlyList<AliasRecord> all = _store.ListAliases();
            int start = request.Marker == null ? 0 : KeyStore.After(all, a => a.AliasName, request.Marker);
            IEnumerable<AliasRecord> aliases = Enumerable.Range(start, all.Count - start).Select(i => all[i]);
            if (request.KeyId != null)
            {
                ValidateKeyId("KeyId", request.KeyId);
                string keyId = ResolveKey(request.KeyId).KeyId;
                aliases = aliases.Where(a => a.TargetKeyId == keyId);
            }
            List<AliasRecord> page = aliases.Take(limit + 1).ToList();
            bool truncated = page.Count > limit;
            if (truncated) page.RemoveAt(limit);
            return new ListAliasesResponse
            {
                Aliases = page.Select(a => new AliasListEntry
                {
                    AliasName = a.AliasName,
                    AliasArn = AliasArnOf(a.AliasName),
                    TargetKeyId = a.TargetKeyId,
                    CreationDate = a.CreationDate,
                    LastUpdatedDate = a.LastUpdatedDate,
                }).ToList(),
                Truncated = truncated,
                NextMarker = truncated ? page[page.Count - 1].AliasName : null,
            };
        }

        /// <summary>A key is listed until its deletion takes effect; a damaged one stays listed so that DescribeKey can name its file.</summary>
        private bool IsListed(string keyId)
        {
            try
            {
                return LoadKey(keyId) != null;
            }
            catch (KmsException e) when (e.ErrorCode == KmsErrorCodes.KMSInternal)
            {
                return true;
            }
        }

        /// <summary>Key ids and alias names of this store, for argument completion. Reads names only.</summary>
        public IEnumerable<string> ListKeyIdsAndAliasNames() =>
            _store.ListAliases().Select(a => a.AliasName).Concat(_store.ListKeyIds());

        /// <summary>Alias names and the key each names, for argument completion.</summary>
        public IEnumerable<KeyValuePair<string, string>> ListAliasTargets() =>
            _store.ListAliases().Select(a => new KeyValuePair<string, string>(a.AliasName, a.TargetKeyId));

        /// <summary>What a completion tooltip says of a key: state, spec and usage, description; a damaged or missing key says so.</summary>
        public string DescribeForCompletion(string keyId)
        {
            try
            {
                KeyRecord key = _store.TryReadKeyCached(keyId);
                if (key == null) return keyId + " (no such key)";
                string description = string.IsNullOrEmpty(key.Description) ? string.Empty : " - " + (key.Description.Length > 60 ? key.Description.Substring(0, 60) + "..." : key.Description);
                return $"{key.KeyState}, {key.KeySpec} {key.KeyUsage}{description}";
            }
            catch (KmsException)
            {
                return keyId + " (damaged metadata)";
            }
        }

        // ---- key resolution and checks -------------------------------------------------------------

        internal string ArnOf(string keyId) => $"arn:{_partition}:kms:{Region}:{Options.AccountId}:key/{keyId}";

        internal string AliasArnOf(string aliasName) => $"arn:{_partition}:kms:{Region}:{Options.AccountId}:{aliasName}";

        internal static void ValidateKeyId(string member, string keyId) => Validation.Length(member, keyId, 1, 2048);

        internal KeyRecord ResolveKey(string input, string member = "KeyId")
        {
            KeyIdentifier id = KeyIdentifier.Parse(input) ??
                               throw new KmsException(KmsErrorCodes.NotFound, $"Invalid keyId '{input}'", member);
            if (id.IsArn)
            {
                if (id.Region != Region)
                    throw new KmsException(KmsErrorCodes.NotFound, $"Invalid arn {id.Region}", member);
                if (id.Account != Options.AccountId || id.Partition != _partition)
                    throw new KmsException(KmsErrorCodes.NotFound,
                        id.IsAlias ? $"Alias {id.Input} is not found." : $"Key '{id.Input}' does not exist", member);
            }

            string keyId = id.Name;
            if (id.IsAlias)
            {
                AliasRecord alias = _store.TryReadAlias(id.Name) ??
                                    throw new KmsException(KmsErrorCodes.NotFound, $"Alias {AliasArnOf(id.Name)} is not found.", member);
                keyId = alias.TargetKeyId;
            }
            return LoadKey(keyId) ??
                   throw new KmsException(KmsErrorCodes.NotFound, $"Key '{ArnOf(keyId)}' does not exist", member);
        }

        /// <summary>The key-state table of kms-semantics.md, shared by every crypto operation.</summary>
        internal void RequireUsable(KeyRecord key)
        {
            string arn = ArnOf(key.KeyId);
            switch (key.KeyState)
            {
                case KeyState.Enabled:
                case KeyState.Updating:
                    return;
                case KeyState.Disabled:
                    throw new KmsException(KmsErrorCodes.Disabled, $"{arn} is disabled.", "KeyId");
                case KeyState.PendingDeletion:
                case KeyState.PendingReplicaDeletion:
                    throw new KmsException(KmsErrorCodes.KMSInvalidState, $"{arn} is pending deletion.", "KeyId");
                case KeyState.PendingImport:
                    throw new KmsException(KmsErrorCodes.KMSInvalidState, $"{arn} is pending import.", "KeyId");
                case KeyState.Creating:
                    throw new KmsException(KmsErrorCodes.KMSInvalidState, $"{arn} is creating.", "KeyId");
                default:
                    throw new KmsException(KmsErrorCodes.KMSInvalidState, $"{arn} is unavailable.", "KeyId");
            }
        }

        internal void RequireSymmetricEncryptionKey(KeyRecord key, string operation)
        {
            RequireUsage(key, KeyUsageType.ENCRYPT_DECRYPT, operation);
            if (key.KeySpec != KeySpec.SYMMETRIC_DEFAULT)
                throw new KmsException(KmsErrorCodes.InvalidKeyUsage,
                    $"{ArnOf(key.KeyId)} key KeySpec is {key.KeySpec} which is not valid for {operation}.", "KeyId");
        }

        internal static void ThrowIfDryRun(bool? dryRun)
        {
            if (dryRun == true)
                throw new KmsException(KmsErrorCodes.DryRunOperation, "The request would have succeeded, but the DryRun option is set.", "DryRun");
        }

        private readonly System.Collections.Concurrent.ConcurrentDictionary<string, byte[]> _materials =
            new System.Collections.Concurrent.ConcurrentDictionary<string, byte[]>(StringComparer.Ordinal);

        /// <summary>
        /// Key material by key and material id, read from disk once per backend (one cmdlet invocation): a material id
        /// names immutable bytes, so the copy can never be stale. The copies are zeroed when the backend is disposed,
        /// at the end of the pipeline; the engine never hands them out. Null when the key has no such material.
        /// </summary>
        internal byte[] Material(string keyId, string keyMaterialId)
        {
            string id = keyId + "/" + keyMaterialId;
            if (_materials.TryGetValue(id, out byte[] material)) return material;
            material = _store.ReadKeyMaterial(keyId, keyMaterialId);
            if (material == null) return null;
            byte[] kept = _materials.GetOrAdd(id, material);
            if (!ReferenceEquals(kept, material)) SecureBytes.Clear(material);
            else Interlocked.Increment(ref _liveMaterials);
            return kept;
        }

        /// <summary>Drops (and zeroes) a material this backend read, once it is gone from the store (imported material deleted).</summary>
        private void ForgetMaterial(string keyId, string keyMaterialId)
        {
            if (_materials.TryRemove(keyId + "/" + keyMaterialId, out byte[] material))
            {
                SecureBytes.Clear(material);
                Interlocked.Decrement(ref _liveMaterials);
            }
            _parsedKeys.TryRemove(keyId + "/private", out _);
        }

        internal byte[] CurrentMaterial(KeyRecord key) =>
            Material(key.KeyId, key.CurrentKeyMaterialId) ??
            throw KeyStore.Damaged(key.KeyId + ".key", "the current key material " + key.CurrentKeyMaterialId + " is missing");

        private readonly System.Collections.Concurrent.ConcurrentDictionary<string, Org.BouncyCastle.Crypto.AsymmetricKeyParameter> _parsedKeys =
            new System.Collections.Concurrent.ConcurrentDictionary<string, Org.BouncyCastle.Crypto.AsymmetricKeyParameter>(System.StringComparer.Ordinal);

        /// <summary>
        /// An asymmetric key's private key, parsed once per backend (one cmdlet invocation), as its material bytes are
        /// read once. Parsing is most of the cost of a signature (an ML-DSA key expands from its seed, Ed25519 derives
        /// its public point): per call it would also leave one unzeroable BouncyCastle copy per call on the heap; cached,
        /// there is one, dropped with the zeroed material when the backend is disposed.
        /// </summary>
        private Org.BouncyCastle.Crypto.AsymmetricKeyParameter PrivateKeyOf(KeyRecord key) =>
            _parsedKeys.GetOrAdd(key.KeyId + "/private", _ => Org.BouncyCastle.Security.PrivateKeyFactory.CreateKey(SoleMaterial(key)));

        /// <summary>An asymmetric key's public key, parsed once per backend: BouncyCastle keeps its precomputed tables on it.</summary>
        private Org.BouncyCastle.Crypto.AsymmetricKeyParameter PublicKeyOf(KeyRecord key) =>
            _parsedKeys.GetOrAdd(key.KeyId + "/public", _ => Org.BouncyCastle.Security.PublicKeyFactory.CreateKey(key.PublicKey));

        /// <summary>The one material of an asymmetric or HMAC key (these keys do not rotate), cached as every material is.</summary>
        private byte[] SoleMaterial(KeyRecord key) =>
            Material(key.KeyId, key.ImportedMaterialId) ?? throw KeyStore.Damaged(key.KeyId + ".key", "the key has no key material");

        private void RequireUsage(KeyRecord key, string usage, string operation)
        {
            if (key.KeyUsage != usage)
                throw new KmsException(KmsErrorCodes.InvalidKeyUsage,
                    $"{ArnOf(key.KeyId)} key usage is {key.KeyUsage} which is not valid for {operation}.", "KeyId");
        }

        private static int _liveMaterials;

        /// <summary>Key materials read into memory by any backend of this process and not yet zeroed (for tests).</summary>
        public static int LiveKeyMaterials => Volatile.Read(ref _liveMaterials);

        /// <summary>Zeroes the key material this backend read, and drops the keys parsed from it.</summary>
        public void Dispose()
        {
            FlushUsage();
            _parsedKeys.Clear();
            foreach (string id in _materials.Keys)
                if (_materials.TryRemove(id, out byte[] material))
                {
                    SecureBytes.Clear(material);
                    Interlocked.Decrement(ref _liveMaterials);
                }
        }

        internal static void ValidateAliasName(string aliasName)
        {
            Validation.Length("AliasName", aliasName, 1, 256);
            if (!AliasNamePattern.IsMatch(aliasName))
                throw Validation.Error("AliasName", "Member must satisfy regular expression pattern: ^[a-zA-Z0-9:/_-]+$", aliasName);
            if (!aliasName.StartsWith("alias/", StringComparison.Ordinal))
                throw new KmsException(KmsErrorCodes.Validation,
                    "Alias must start with the prefix \"alias/\". Please see https://docs.aws.amazon.com/kms/latest/developerguide/kms-alias.html", "AliasName");
            if (aliasName.StartsWith("alias/aws/", StringComparison.OrdinalIgnoreCase))
                throw new KmsException(KmsErrorCodes.InvalidAliasName,
                    $"Alias {aliasName} begins with the reserved prefix alias/aws/, which names AWS managed keys. Choose another name.", "AliasName");
        }

        internal static void ValidateTags(IList<Tag> tags)
        {
            if (tags == null) return;
            if (tags.Count > 50) throw new KmsException(KmsErrorCodes.Tag, "Too many tags", "Tags");
            var seen = new HashSet<string>(StringComparer.Ordinal);
            for (int i = 0; i < tags.Count; i++)
            {
                Tag tag = tags[i];
                // The framework names a list element's member by its path, as AWS's recorded messages do.
                Validation.Length("Tags", tag?.TagKey, 1, 128, $"tags.{i + 1}.member.tagKey");
                Validation.Length("Tags", tag.TagValue, 0, 256, $"tags.{i + 1}.member.tagValue");
                if (tag.TagKey.StartsWith("aws:", StringComparison.OrdinalIgnoreCase))
                    throw new KmsException(KmsErrorCodes.Tag, "Tags beginning with aws: are reserved", "Tags");
                if (!seen.Add(tag.TagKey))
                    throw new KmsException(KmsErrorCodes.Tag, "Duplicate tag keys", "Tags");
            }
        }

        internal KeyMetadata MetadataOf(KeyRecord key)
        {
            bool enabled = key.KeyState == KeyState.Enabled;
            return new KeyMetadata
            {
                AWSAccountId = Options.AccountId,
                KeyId = key.KeyId,
                Arn = ArnOf(key.KeyId),
                CreationDate = key.CreationDate,
                Enabled = enabled,
                Description = key.Description ?? string.Empty,
                KeyUsage = key.KeyUsage,
                KeyState = key.KeyState,
                DeletionDate = key.DeletionDate,
                PendingDeletionWindowInDays = key.PendingDeletionWindowInDays,
                Origin = key.Origin,
                KeyManager = "CUSTOMER",
                CustomerMasterKeySpec = key.KeySpec,
                KeySpec = key.KeySpec,
                EncryptionAlgorithms = KeyAlgorithms.EncryptionAlgorithms(key.KeySpec, key.KeyUsage),
                SigningAlgorithms = KeyAlgorithms.SigningAlgorithms(key.KeySpec, key.KeyUsage),
                MacAlgorithms = KeyAlgorithms.MacAlgorithms(key.KeySpec),
                KeyAgreementAlgorithms = key.KeyUsage == KeyUsageType.KEY_AGREEMENT ? new List<string> { "ECDH" } : null,
                MultiRegion = key.MultiRegion,
                MultiRegionConfiguration = MultiRegionConfigurationOf(key),
                CurrentKeyMaterialId = key.CurrentKeyMaterialId,
                ExpirationModel = key.ExpirationModel,
                ValidTo = key.ValidTo,
            };
        }

        internal static Dictionary<string, string> Copy(Dictionary<string, string> context) =>
            context == null ? new Dictionary<string, string>() : new Dictionary<string, string>(context, StringComparer.Ordinal);

        internal static string NewKeyMaterialId() => Hex.ToLower(RandomBytes(32));

        internal static byte[] RandomBytes(int count) => Randomness.Bytes(count);
    }
}
