using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using KmsTools.Crypto;
using KmsTools.Model;

namespace KmsTools.Local
{
    // Multi-Region keys: one key id (mrk-...) in several regions of one store, sharing key material, key spec, usage,
    // origin and rotation; each region's record has its own policy, tags, aliases, grants and state. Every member
    // records the set (the primary's region and the replicas' regions), so that DescribeKey answers from any region.
    // Changes to the set lock one member at a time, never two, so that two processes cannot deadlock on a set.
    public sealed partial class LocalKmsBackend
    {
        public ReplicateKeyResponse ReplicateKey(ReplicateKeyRequest request, CancellationToken cancellationToken = default)
        {
            Require(request);
            ValidateKeyId("KeyId", request.KeyId);
            string region = ValidateOtherRegion("ReplicaRegion", request.ReplicaRegion);
            if (request.Description != null) Validation.Length("Description", request.Description, 0, 8192);
            ValidateTags(request.Tags);
            KeyPolicy policy = request.Policy == null ? null : KeyPolicy.Validate("Policy", request.Policy);
            KeyRecord primary = ResolveKeyNotAlias(request.KeyId);
            Authorize(primary, "ReplicateKey");
            if (!primary.MultiRegion)
                throw new KmsException(KmsErrorCodes.UnsupportedOperation,
                    $"{ArnOf(primary.KeyId)} is not a multi-Region key: only keys created with MultiRegion (New-KmsKey -MultiRegion) can be replicated.", "KeyId");
            RequirePrimaryFor(primary, "replication");
            RequireNotDisabledNorDeleting(primary);
            if (primary.ReplicaRegions.Contains(region))
                throw new KmsException(KmsErrorCodes.AlreadyExists,
                    $"Unable to replicate key {primary.KeyId} to region {region}, as the key already exists there", "ReplicaRegion");

            using (LocalKmsBackend there = In(region))
            {
                string replicaArn = there.ArnOf(primary.KeyId);
                if (policy != null) there.RequireLockoutSafe(policy, replicaArn, request.BypassPolicyLockoutSafetyCheck);
                bool imported = primary.Origin == OriginType.EXTERNAL;
                var replica = new KeyRecord
                {
                    KeyId = primary.KeyId,
                    CreationDate = DateTime.UtcNow,
                    UsageTrackingStart = DateTime.UtcNow,
                    Description = request.Description ?? string.Empty,
                    KeySpec = primary.KeySpec,
                    KeyUsage = primary.KeyUsage,
                    Origin = primary.Origin,
                    // Imported material is not copied: a replica of an EXTERNAL key waits for the same material, as in AWS.
                    KeyState = imported ? KeyState.PendingImport : KeyState.Enabled,
                    PublicKey = primary.PublicKey,
                    Tags = request.Tags?.Select(t => new Tag { TagKey = t.TagKey, TagValue = t.TagValue }).ToList() ?? new List<Tag>(),
                    Policy = request.Policy,
                    MultiRegion = true,
                    PrimaryRegion = Region,
                    ReplicaRegions = primary.ReplicaRegions.Concat(new[] { region }).ToList(),
                };
                CopySharedState(primary, replica);
                List<KeyValuePair<string, byte[]>> materials = SharedMaterials(primary);
                try
                {
                    if (there.LoadKey(primary.KeyId) != null)
                        throw new KmsException(KmsErrorCodes.AlreadyExists,
                            $"Unable to replicate key {primary.KeyId} to region {region}, as the key already exists there", "ReplicaRegion");
                    there._store.CreateKey(replica, materials);
                }
                finally
                {
                    foreach (var material in materials) SecureBytes.Clear(material.Value);
                }
                // The set learns of its new member: the primary first, then the other replicas.
                ForEachMember(primary, member => member.ReplicaRegions = member.ReplicaRegions.Union(new[] { region }).ToList(), skip: region);
                return new ReplicateKeyResponse
                {
                    ReplicaKeyMetadata = there.MetadataOf(replica),
                    ReplicaPolicy = there.PolicyOf(replica),
                    ReplicaTags = replica.Tags.Select(t => new Tag { TagKey = t.TagKey, TagValue = t.TagValue }).ToList(),
                };
            }
        }

        public UpdatePrimaryRegionResponse UpdatePrimaryRegion(UpdatePrimaryRegionRequest request, CancellationToken cancellationToken = default)
        {
            Require(request);
            ValidateKeyId("KeyId", request.KeyId);
            string region = ValidateOtherRegion("PrimaryRegion", request.PrimaryRegion, allowSame: true);
            KeyRecord key = ResolveKeyNotAlias(request.KeyId);
            Authorize(key, "UpdatePrimaryRegion");
            if (!key.MultiRegion)
                throw new KmsException(KmsErrorCodes.UnsupportedOperation, $"{ArnOf(key.KeyId)} is not a multi-Region key.", "KeyId");
            RequirePrimaryFor(key, "UpdatePrimaryRegion");
            RequireNotDisabledNorDeleting(key);
            if (region == Region) return new UpdatePrimaryRegionResponse();
            if (!key.ReplicaRegions.Contains(region))
                throw new KmsException(KmsErrorCodes.NotFound,
                    $"{ArnOf(key.KeyId)} has no replica in {region}: replicate it there first (New-KmsReplicateKey).", "PrimaryRegion");
            List<string> replicas = new[] { Region }.Concat(key.ReplicaRegions.Where(r => r != region)).ToList();
            ForEachMember(key, member =>
            {
                member.PrimaryRegion = region;
                member.ReplicaRegions = replicas;
            });
            return new UpdatePrimaryRegionResponse();
        }

        internal bool IsPrimary(KeyRecord key) => key.MultiRegion && key.PrimaryRegion == Region;

        /// <summary>What only the primary of a multi-Region key does (rotation, replication); a replica says where its primary is.</summary>
        private void RequirePrimaryFor(KeyRecord key, string what)
        {
            if (key.MultiRegion && key.PrimaryRegion != Region)
                throw new KmsException(KmsErrorCodes.UnsupportedOperation,
                    $"{ArnOf(key.KeyId)} is a multi-Region replica key; its {what} is managed on the primary key in {key.PrimaryRegion}.", "KeyId");
        }

        /// <summary>
        /// Copies the primary's shared properties (materials, current material, rotation state) to every replica, after
        /// a rotation or a change of the rotation settings, so that a ciphertext of any member opens in every region.
        /// </summary>
        private void SyncReplicas(KeyRecord primary)
        {
            if (!IsPrimary(primary) || primary.ReplicaRegions.Count == 0) return;
            List<KeyValuePair<string, byte[]>> materials = SharedMaterials(primary);
            try
            {
                InOtherMembers(primary.KeyId, primary.ReplicaRegions, there => there.Update(primary.KeyId, replica =>
                {
                    foreach (var material in materials)
                        if (there.Material(replica.KeyId, material.Key) == null) there._store.AddKeyMaterial(replica.KeyId, material.Key, material.Value);
                    CopySharedState(primary, replica);
                    return 0;
                }));
            }
            finally
            {
                foreach (var material in materials) SecureBytes.Clear(material.Value);
            }
        }

        /// <summary>What every member of a set has as its primary has it: the current material (not of an imported key, whose members import their own) and the rotation state.</summary>
        private static void CopySharedState(KeyRecord primary, KeyRecord member)
        {
            if (primary.Origin != OriginType.EXTERNAL) member.CurrentKeyMaterialId = primary.CurrentKeyMaterialId;
            member.Rotations = primary.Rotations.Select(r => new RotationRecord { KeyMaterialId = r.KeyMaterialId, RotationDate = r.RotationDate, RotationType = r.RotationType }).ToList();
            member.KeyRotationEnabled = primary.KeyRotationEnabled;
            member.RotationPeriodInDays = primary.RotationPeriodInDays;
            member.NextRotationDate = primary.NextRotationDate;
        }

        /// <summary>
        /// A member of a set whose deletion took effect leaves it: the others forget its region, and a primary that was
        /// waiting for its last replica (PendingReplicaDeletion) starts its own waiting period.
        /// </summary>
        private void LeaveRegionSet(KeyRecord deleted) =>
            InOtherMembers(deleted.KeyId, new[] { deleted.PrimaryRegion }.Concat(deleted.ReplicaRegions), there =>
            {
                try
                {
                    there.Update(deleted.KeyId, member =>
                    {
                        member.ReplicaRegions = member.ReplicaRegions.Where(r => r != Region).ToList();
                        if (member.KeyState == KeyState.PendingReplicaDeletion && member.ReplicaRegions.Count == 0)
                        {
                            member.KeyState = KeyState.PendingDeletion;
                            member.DeletionDate = DateTime.UtcNow.AddDays(member.PendingDeletionWindowInDays ?? 30);
                        }
                        return 0;
                    });
                }
                catch (KmsException e) when (e.ErrorCode == KmsErrorCodes.KMSInternal)
                {
                    // A member that cannot be written keeps naming this region; its next DescribeKey shows it, nothing breaks.
                }
            });

        /// <summary>Applies a change to every member of the set (this region's first), each under its own lock in turn.</summary>
        private void ForEachMember(KeyRecord key, Action<KeyRecord> change, string skip = null)
        {
            Update(key.KeyId, member => { change(member); return 0; });
            InOtherMembers(key.KeyId, new[] { key.PrimaryRegion }.Concat(key.ReplicaRegions).Where(r => r != skip),
                there => there.Update(key.KeyId, member => { change(member); return 0; }));
        }

        /// <summary>Runs <paramref name="act"/> with the backend of each other region of <paramref name="regions"/> that still has the key.</summary>
        private void InOtherMembers(string keyId, IEnumerable<string> regions, Action<LocalKmsBackend> act)
        {
            foreach (string region in regions.Where(r => r != Region).Distinct())
                using (LocalKmsBackend there = In(region))
                    if (there._store.TryReadKey(keyId) != null) act(there); // else deleted there meanwhile: nothing to change
        }

        /// <summary>
        /// The materials of a key that its replicas share: every entry of its .key file but import wrapping keys; none of
        /// an imported key, whose replicas wait for the same material to be imported. The caller zeroes them.
        /// </summary>
        private List<KeyValuePair<string, byte[]>> SharedMaterials(KeyRecord key)
        {
            if (key.Origin == OriginType.EXTERNAL) return new List<KeyValuePair<string, byte[]>>();
            var wrapping = new HashSet<string>(key.ImportParameters.Select(p => p.TokenId), StringComparer.Ordinal);
            List<KeyValuePair<string, byte[]>> all = _store.ReadAllKeyMaterial(key.KeyId);
            foreach (var entry in all.Where(e => wrapping.Contains(e.Key))) SecureBytes.Clear(entry.Value);
            return all.Where(e => !wrapping.Contains(e.Key)).ToList();
        }

        /// <summary>The same store, account and caller in another region.</summary>
        private LocalKmsBackend In(string region) =>
            new LocalKmsBackend(new LocalKmsOptions { Home = Options.Home, AccountId = Options.AccountId, Region = region, CallerPrincipal = Options.CallerPrincipal });

        private string ValidateOtherRegion(string member, string region, bool allowSame = false)
        {
            Validation.Length(member, region, 1, 32);
            if (!AwsRegion.IsValid(region))
                throw new KmsException(KmsErrorCodes.Validation, $"'{region}' is not a region name. Use a name such as us-west-2 or eu-west-1.", member);
            if (!allowSame && region == Region)
                throw new KmsException(KmsErrorCodes.Validation, $"{member} {region} is the region of the key itself; a replica goes to another region.", member);
            if (AwsRegion.PartitionOf(region) != _partition)
                throw new KmsException(KmsErrorCodes.Validation,
                    $"{region} is in another AWS partition ({AwsRegion.PartitionOf(region)}) than {Region} ({_partition}); a multi-Region key stays in one partition.", member);
            return region;
        }

        private MultiRegionConfiguration MultiRegionConfigurationOf(KeyRecord key)
        {
            if (!key.MultiRegion) return null;
            string arnIn(string region) => $"arn:{_partition}:kms:{region}:{Options.AccountId}:key/{key.KeyId}";
            return new MultiRegionConfiguration
            {
                MultiRegionKeyType = IsPrimary(key) ? MultiRegionKeyType.PRIMARY : MultiRegionKeyType.REPLICA,
                PrimaryKey = new MultiRegionKey { Arn = arnIn(key.PrimaryRegion), Region = key.PrimaryRegion },
                ReplicaKeys = key.ReplicaRegions.Select(r => new MultiRegionKey { Arn = arnIn(r), Region = r }).ToList(),
            };
        }
    }
}
