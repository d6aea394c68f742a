using System;
using System.Threading;
using System.Collections.Generic;
using System.Linq;
using KmsTools.Crypto;
using KmsTools.Model;

namespace KmsTools.Local
{
    // The key lifecycle: state changes, scheduled deletion, aliases, rotation, tags and public keys.
    // Every change is a read-modify-write of one key (or alias) under its lock, re-reading inside the lock,
    // so concurrent processes never lose each other's updates.
    public sealed partial class LocalKmsBackend
    {
        private const int OnDemandRotationLimit = 25;
        private const int DefaultRotationPeriodInDays = 365;

        /// <summary>
        /// Reads a key and brings it up to date with the clock: a key whose deletion date has passed is deleted
        /// (with its aliases) and reads as absent; an enabled key whose automatic rotation date has passed is rotated.
        /// </summary>
        internal KeyRecord LoadKey(string keyId)
        {
            KeyRecord key = _store.TryReadKeyCached(keyId);
            if (key == null) return null;
            DateTime now = DateTime.UtcNow;
            // Due maintenance is written when the store can take it and deferred when it cannot (a read-only
            // volume, a restored backup, a lock held too long): reading a key never depends on writing it. A key past
            // its deletion date is gone either way; a key due for rotation answers with the material it has.
            if (key.KeyState == KeyState.PendingDeletion && key.DeletionDate <= now)
            {
                try
                {
                    PurgeKey(keyId);
                }
                catch (KmsException e) when (e.ErrorCode == KmsErrorCodes.KMSInternal)
                {
                    // Deferred: the next writable open purges it.
                }
                return null;
            }
            if (ImportedMaterialExpired(key, now))
            {
                try
                {
                    return Update(key.KeyId, fresh =>
                    {
                        if (ImportedMaterialExpired(fresh, DateTime.UtcNow)) RemoveImportedMaterial(fresh);
                        return fresh;
                    });
                }
                catch (KmsException e) when (e.ErrorCode == KmsErrorCodes.KMSInternal)
                {
                    // Deferred, as above; the material is past its date all the same, so the key answers as PendingImport.
                    KeyRecord expired = key.Clone();
                    expired.KeyState = KeyState.PendingImport;
                    return expired;
                }
            }
            // A multi-Region key rotates as a set, from its primary; a replica gets the new material from there.
            if (key.KeyRotationEnabled && key.KeyState == KeyState.Enabled && key.NextRotationDate <= now && (!key.MultiRegion || IsPrimary(key)))
            {
                try
                {
                    KeyRecord rotated = Update(key.KeyId, fresh =>
                    {
                        if (fresh.KeyRotationEnabled && fresh.NextRotationDate <= DateTime.UtcNow) Rotate(fresh, "AUTOMATIC");
                        return fresh;
                    });
                    SyncReplicas(rotated);
                    return rotated;
                }
                catch (KmsException e) when (e.ErrorCode == KmsErrorCodes.KMSInternal)
                {
                    // Deferred, as above.
                }
            }
            return key;
        }

        public UpdateKeyDescriptionResponse UpdateKeyDescription(UpdateKeyDescriptionRequest request, CancellationToken cancellationToken = default)
        {
            Require(request);
            ValidateKeyId("KeyId", request.KeyId);
            Validation.Length("Description", request.Description, 0, 8192);
            Change("UpdateKeyDescription", request.KeyId, key =>
            {
                RequireNotPendingDeletion(key);
                key.Description = request.Description;
            });
            return new UpdateKeyDescriptionResponse();
        }

        public EnableKeyResponse EnableKey(EnableKeyRequest request, CancellationToken cancellationToken = default)
        {
            Require(request);
            ValidateKeyId("KeyId", request.KeyId);
            SetKeyState("EnableKey", request.KeyId, KeyState.Enabled);
            return new EnableKeyResponse();
        }

        public DisableKeyResponse DisableKey(DisableKeyRequest request, CancellationToken cancellationToken = default)
        {
            Require(request);
            ValidateKeyId("KeyId", request.KeyId);
            SetKeyState("DisableKey", request.KeyId, KeyState.Disabled);
            return new DisableKeyResponse();
        }

        public ScheduleKeyDeletionResponse ScheduleKeyDeletion(ScheduleKeyDeletionRequest request, CancellationToken cancellationToken = default)
        {
            Require(request);
            ValidateKeyId("KeyId", request.KeyId);
            int days = request.PendingWindowInDays ?? 30;
            // The model allows 1..365; KMS itself accepts 7..30.
            Validation.Range("PendingWindowInDays", days, 7, 30);
            return Update(ResolveFor("ScheduleKeyDeletion", request.KeyId).KeyId, key =>
            {
                RequireNotPendingDeletion(key);
                // A primary key with replicas waits for them: its waiting period starts when the last replica is deleted.
                bool waitsForReplicas = IsPrimary(key) && key.ReplicaRegions.Count > 0;
                key.KeyState = waitsForReplicas ? KeyState.PendingReplicaDeletion : KeyState.PendingDeletion;
                key.DeletionDate = waitsForReplicas ? (DateTime?)null : DateTime.UtcNow.AddDays(days);
                key.PendingDeletionWindowInDays = days;
                return new ScheduleKeyDeletionResponse
                {
                    KeyId = ArnOf(key.KeyId), DeletionDate = key.DeletionDate, KeyState = key.KeyState, PendingWindowInDays = days,
                };
            });
        }

        public CancelKeyDeletionResponse CancelKeyDeletion(CancelKeyDeletionRequest request, CancellationToken cancellationToken = default)
        {
            Require(request);
            ValidateKeyId("KeyId", request.KeyId);
            return Update(ResolveFor("CancelKeyDeletion", request.KeyId).KeyId, key =>
            {
                if (key.KeyState != KeyState.PendingDeletion && key.KeyState != KeyState.PendingReplicaDeletion)
                    throw new KmsException(KmsErrorCodes.KMSInvalidState, $"{ArnOf(key.KeyId)} is not pending deletion.", "KeyId");
                // KMS returns a key whose deletion is cancelled to Disabled, never straight to Enabled.
                key.KeyState = KeyState.Disabled;
                key.DeletionDate = null;
                key.PendingDeletionWindowInDays = null;
                return new CancelKeyDeletionResponse { KeyId = ArnOf(key.KeyId) };
            });
        }

        public UpdateAliasResponse UpdateAlias(UpdateAliasRequest request, CancellationToken cancellationToken = default)
        {
            Require(request);
            ValidateAliasName(request.AliasName);
            ValidateKeyId("TargetKeyId", request.TargetKeyId);
            KeyIdentifier target = KeyIdentifier.Parse(request.TargetKeyId);
            if (target != null && target.IsAlias)
                throw new KmsException(KmsErrorCodes.Validation, "Aliases must refer to keys. Not aliases", "TargetKeyId");
            KeyRecord newTarget = ResolveFor("UpdateAlias", request.TargetKeyId, "TargetKeyId");
            RequireNotPendingDeletion(newTarget, "TargetKeyId");
            using (_store.LockAlias(request.AliasName))
            {
                AliasRecord alias = _store.TryReadAlias(request.AliasName) ?? throw AliasNotFound(request.AliasName);
                KeyRecord oldTarget = _store.TryReadKey(alias.TargetKeyId);
                if (oldTarget != null && (oldTarget.KeySpec != newTarget.KeySpec || oldTarget.KeyUsage != newTarget.KeyUsage))
                    throw new KmsException(KmsErrorCodes.Validation,
                        $"Alias {request.AliasName} points to a {oldTarget.KeySpec} {oldTarget.KeyUsage} key; its new target must have the same key spec and key usage, not {newTarget.KeySpec} {newTarget.KeyUsage}.", "TargetKeyId");
                alias.TargetKeyId = newTarget.KeyId;
                alias.LastUpdatedDate = DateTime.UtcNow;
                _store.ReplaceAlias(alias);
            }
            return new UpdateAliasResponse();
        }

        public DeleteAliasResponse DeleteAlias(DeleteAliasRequest request, CancellationToken cancellationToken = default)
        {
            Require(request);
            ValidateAliasName(request.AliasName);
            using (_store.LockAlias(request.AliasName))
            {
                if (_store.TryReadAlias(request.AliasName) == null) throw AliasNotFound(request.AliasName);
                _store.DeleteAlias(request.AliasName);
            }
            return new DeleteAliasResponse();
        }

        public EnableKeyRotationResponse EnableKeyRotation(EnableKeyRotationRequest request, CancellationToken cancellationToken = default)
        {
            Require(request);
            ValidateKeyId("KeyId", request.KeyId);
            int period = request.RotationPeriodInDays ?? DefaultRotationPeriodInDays;
            Validation.Range("RotationPeriodInDays", period, 90, 2560);
            SyncReplicas(Change("EnableKeyRotation", request.KeyId, key =>
            {
                RequireRotatable(key);
                key.KeyRotationEnabled = true;
                key.RotationPeriodInDays = period;
                key.NextRotationDate = DateTime.UtcNow.AddDays(period);
            }));
            return new EnableKeyRotationResponse();
        }

        public DisableKeyRotationResponse DisableKeyRotation(DisableKeyRotationRequest request, CancellationToken cancellationToken = default)
        {
            Require(request);
            ValidateKeyId("KeyId", request.KeyId);
            SyncReplicas(Change("DisableKeyRotation", request.KeyId, key =>
            {
                RequireRotatable(key);
                key.KeyRotationEnabled = false;
                key.NextRotationDate = null;
            }));
            return new DisableKeyRotationResponse();
        }

        public GetKeyRotationStatusResponse GetKeyRotationStatus(GetKeyRotationStatusRequest request, CancellationToken cancellationToken = default)
        {
            Require(request);
            ValidateKeyId("KeyId", request.KeyId);
            KeyRecord key = ResolveFor("GetKeyRotationStatus", request.KeyId);
            RequireSymmetric(key);
            // As AWS answers (the recordings): the key ARN; and no OnDemandRotationStartDate, which AWS reports only while an
            // on-demand rotation is in progress, and the local engine's complete before RotateKeyOnDemand returns.
            return new GetKeyRotationStatusResponse
            {
                KeyId = ArnOf(key.KeyId),
                KeyRotationEnabled = key.KeyRotationEnabled,
                RotationPeriodInDays = key.KeyRotationEnabled ? key.RotationPeriodInDays : null,
                NextRotationDate = key.KeyRotationEnabled ? key.NextRotationDate : null,
            };
        }

        public RotateKeyOnDemandResponse RotateKeyOnDemand(RotateKeyOnDemandRequest request, CancellationToken cancellationToken = default)
        {
            Require(request);
            ValidateKeyId("KeyId", request.KeyId);
            KeyRecord rotated = Update(ResolveFor("RotateKeyOnDemand", request.KeyId).KeyId, key =>
            {
                RequireUsable(key); // the recorded order: key state before key spec
                RequirePrimaryFor(key, "rotation");
                if (key.Origin == OriginType.EXTERNAL)
                    throw new KmsException(KmsErrorCodes.UnsupportedOperation,
                        $"The local engine does not rotate imported key material on demand ({ArnOf(key.KeyId)}): import new material into a new key.", "KeyId");
                if (!key.IsSymmetricEncryption)
                    throw new KmsException(KmsErrorCodes.UnsupportedOperation, string.Empty, "KeyId");
                if (key.Rotations.Count(r => r.RotationType == "ON_DEMAND") >= OnDemandRotationLimit)
                    throw new KmsException(KmsErrorCodes.LimitExceeded,
                        $"The on-demand rotations limit has been reached for the given keyId. No more on-demand rotations can be performed for this key: {ArnOf(key.KeyId)}", "KeyId");
                Rotate(key, "ON_DEMAND");
                return key;
            });
            SyncReplicas(rotated);
            return new RotateKeyOnDemandResponse { KeyId = ArnOf(rotated.KeyId) };
        }

        public ListKeyRotationsResponse ListKeyRotations(ListKeyRotationsRequest request, CancellationToken cancellationToken = default)
        {
            Require(request);
            ValidateKeyId("KeyId", request.KeyId);
            int limit = request.Limit ?? 100;
            Validation.Range("Limit", limit, 1, 1000);
            KeyRecord key = ResolveFor("ListKeyRotations", request.KeyId);
            RequireSymmetric(key);
            return Page(key.Rotations, request.Marker, limit, r => new RotationsListEntry
            {
                KeyId = key.KeyId, KeyMaterialId = r.KeyMaterialId, RotationDate = r.RotationDate, RotationType = r.RotationType,
            }, (rotations, next, truncated) => new ListKeyRotationsResponse { Rotations = rotations, NextMarker = next, Truncated = truncated });
        }

        public TagResourceResponse TagResource(TagResourceRequest request, CancellationToken cancellationToken = default)
        {
            Require(request);
            ValidateKeyId("KeyId", request.KeyId);
            Validation.Required("Tags", request.Tags);
            ValidateTags(request.Tags);
            Change("TagResource", request.KeyId, key =>
            {
                RequireNotPendingDeletion(key);
                foreach (Tag tag in request.Tags)
                {
                    Tag existing = key.Tags.FirstOrDefault(t => t.TagKey == tag.TagKey);
                    if (existing != null) existing.TagValue = tag.TagValue; // an updated tag keeps its place
                    else key.Tags.Add(new Tag { TagKey = tag.TagKey, TagValue = tag.TagValue });
                }
                if (key.Tags.Count > 50) throw new KmsException(KmsErrorCodes.Tag, "Too many tags", "Tags");
            });
            return new TagResourceResponse();
        }

        public UntagResourceResponse UntagResource(UntagResourceRequest request, CancellationToken cancellationToken = default)
        {
            Require(request);
            ValidateKeyId("KeyId", request.KeyId);
            Validation.Required("TagKeys", request.TagKeys);
            foreach (string tagKey in request.TagKeys) Validation.Length("TagKeys", tagKey, 1, 128);
            Change("UntagResource", request.KeyId, key =>
            {
                RequireNotPendingDeletion(key);
                key.Tags.RemoveAll(t => request.TagKeys.Contains(t.TagKey));
            });
            return new UntagResourceResponse();
        }

        public ListResourceTagsResponse ListResourceTags(ListResourceTagsRequest request, CancellationToken cancellationToken = default)
        {
            Require(request);
            ValidateKeyId("KeyId", request.KeyId);
            int limit = request.Limit ?? 50;
            Validation.Range("Limit", limit, 1, 50);
            KeyRecord key = ResolveFor("ListResourceTags", request.KeyId);
            return Page(key.Tags, request.Marker, limit, t => new Tag { TagKey = t.TagKey, TagValue = t.TagValue },
                (tags, next, truncated) => new ListResourceTagsResponse { Tags = tags, NextMarker = next, Truncated = truncated });
        }

        public GetPublicKeyResponse GetPublicKey(GetPublicKeyRequest request, CancellationToken cancellationToken = default)
        {
            Require(request);
            ValidateKeyId("KeyId", request.KeyId);
            ValidateGrantTokens(request.GrantTokens);
            KeyRecord key = ResolveFor("GetPublicKey", request.KeyId);
            RequireUsable(key);
            if (key.PublicKey == null)
                throw new KmsException(KmsErrorCodes.UnsupportedOperation,
                    $"{ArnOf(key.KeyId)} is a {key.KeySpec} key, which has no public key. GetPublicKey needs an asymmetric KMS key.", "KeyId");
            KeyMetadata metadata = MetadataOf(key);
            return new GetPublicKeyResponse
            {
                KeyId = ArnOf(key.KeyId),
                PublicKey = key.PublicKey,
                CustomerMasterKeySpec = key.KeySpec,
                KeySpec = key.KeySpec,
                KeyUsage = key.KeyUsage,
                EncryptionAlgorithms = metadata.EncryptionAlgorithms,
                SigningAlgorithms = metadata.SigningAlgorithms,
                KeyAgreementAlgorithms = metadata.KeyAgreementAlgorithms,
            };
        }

        // ---- helpers ------------------------------------------------------------------------------

        /// <summary>EnableKey and DisableKey: any state but PendingDeletion may move to Enabled or Disabled.</summary>
        private void SetKeyState(string operation, string keyIdInput, string state) =>
            Change(operation, keyIdInput, key =>
            {
                RequireNotPendingDeletion(key);
                key.KeyState = state;
            });

        /// <summary>A change of one key by an operation the caller must be allowed (checked before the key's lock is taken).</summary>
        /// <summary>Changes the key an operation acts on, under its lock; returns the record as written.</summary>
        private KeyRecord Change(string operation, string keyIdInput, Action<KeyRecord> change) =>
            Update(ResolveFor(operation, keyIdInput).KeyId, key => { change(key); return key; });

        /// <summary>The key an operation acts on, once the caller is found to be allowed the operation on it.</summary>
        internal KeyRecord ResolveFor(string operation, string input, string member = "KeyId")
        {
            KeyRecord key = ResolveKey(input, member);
            Authorize(key, operation);
            return key;
        }

        /// <summary>Read-modify-write of one key under its lock; the change sees the latest record, and throws to change nothing.</summary>
        private T Update<T>(string keyId, Func<KeyRecord, T> change)
        {
            using (_store.LockKey(keyId))
            {
                KeyRecord key = _store.TryReadKey(keyId) ?? throw new KmsException(KmsErrorCodes.NotFound, $"Key '{ArnOf(keyId)}' does not exist", "KeyId");
                T result = change(key);
                _store.ReplaceKey(key);
                return result;
            }
        }

        /// <summary>New key material: written to the material file first, then named current in the metadata (by the caller's Update).</summary>
        private void Rotate(KeyRecord key, string rotationType)
        {
            string materialId = NewKeyMaterialId();
            byte[] material = RandomBytes(CiphertextFormat.KeyMaterialLength);
            try
            {
                _store.AddKeyMaterial(key.KeyId, materialId, material);
            }
            finally
            {
                SecureBytes.Clear(material);
            }
            DateTime now = DateTime.UtcNow;
            key.CurrentKeyMaterialId = materialId;
            key.Rotations.Add(new RotationRecord { KeyMaterialId = materialId, RotationDate = now, RotationType = rotationType });
            // An automatic rotation starts the next period; an on-demand one leaves the schedule as it was, as in AWS.
            if (key.KeyRotationEnabled && rotationType == "AUTOMATIC") key.NextRotationDate = now.AddDays(key.RotationPeriodInDays ?? DefaultRotationPeriodInDays);
        }

        private void PurgeKey(string keyId)
        {
            KeyRecord deleted;
            using (_store.LockKey(keyId))
            {
                deleted = _store.TryReadKey(keyId);
                if (deleted == null || deleted.KeyState != KeyState.PendingDeletion || !(deleted.DeletionDate <= DateTime.UtcNow)) return;
                _store.DeleteKey(keyId);
            }
            if (deleted.MultiRegion) LeaveRegionSet(deleted);
            foreach (AliasRecord alias in _store.ListAliases().Where(a => a.TargetKeyId == keyId).ToList())
                using (_store.LockAlias(alias.AliasName))
                    _store.DeleteAlias(alias.AliasName);
        }

        private void RequireNotPendingDeletion(KeyRecord key, string member = "KeyId")
        {
            if (key.KeyState == KeyState.PendingDeletion || key.KeyState == KeyState.PendingReplicaDeletion)
                throw new KmsException(KmsErrorCodes.KMSInvalidState, $"{ArnOf(key.KeyId)} is pending deletion.", member);
        }

        /// <summary>What a key must be for the changes that act on its material or its set: neither disabled nor pending deletion.</summary>
        private void RequireNotDisabledNorDeleting(KeyRecord key)
        {
            if (key.KeyState == KeyState.Disabled)
                throw new KmsException(KmsErrorCodes.Disabled, $"{ArnOf(key.KeyId)} is disabled.", "KeyId");
            RequireNotPendingDeletion(key);
        }

        private void RequireRotatable(KeyRecord key)
        {
            RequirePrimaryFor(key, "rotation");
            if (key.Origin == OriginType.EXTERNAL)
                throw new KmsException(KmsErrorCodes.UnsupportedOperation,
                    $"{ArnOf(key.KeyId)} has imported key material, which KMS does not rotate automatically; rotate it by importing new material into a new key.", "KeyId");
            RequireNotDisabledNorDeleting(key);
            RequireSymmetric(key);
        }

        private static void RequireSymmetric(KeyRecord key)
        {
            if (!key.IsSymmetricEncryption)
                throw new KmsException(KmsErrorCodes.UnsupportedOperation, string.Empty, "KeyId");
        }

        private KmsException AliasNotFound(string aliasName) =>
            new KmsException(KmsErrorCodes.NotFound, $"Alias {AliasArnOf(aliasName)} is not found.", "AliasName");

        private static void Require(object request) => LocalSupport.Check(request);

        /// <summary>KMS-style paging over a list: Marker is the index of the next item, as an opaque string.</summary>
        private static TResponse Page<TItem, TEntry, TResponse>(IList<TItem> items, string marker, int limit, Func<TItem, TEntry> map,
            Func<List<TEntry>, string, bool, TResponse> respond)
        {
            int start = 0;
            if (marker != null && (!int.TryParse(marker, out start) || start < 0 || start > items.Count))
                throw new KmsException(KmsErrorCodes.InvalidMarker, $"Invalid marker '{marker}'. Pass the NextMarker of the previous page.", "Marker");
            List<TEntry> page = items.Skip(start).Take(limit).Select(map).ToList();
            bool truncated = start + page.Count < items.Count;
            return respond(page, truncated ? (start + page.Count).ToString() : null, truncated);
        }
    }
}
