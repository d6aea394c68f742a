using System;
using System.Collections.Generic;
using KmsTools.Crypto;
using Newtonsoft.Json;

// The key lifecycle operations: state, deletion, aliases, rotation, tags, public keys. Names as in the API model.
namespace KmsTools.Model
{
    public sealed class UpdateKeyDescriptionRequest
    {
        public string KeyId { get; set; }
        public string Description { get; set; }
    }

    public sealed class EnableKeyRequest
    {
        public string KeyId { get; set; }
    }

    public sealed class DisableKeyRequest
    {
        public string KeyId { get; set; }
    }

    public sealed class ScheduleKeyDeletionRequest
    {
        public string KeyId { get; set; }
        public int? PendingWindowInDays { get; set; }
    }

    public sealed class ScheduleKeyDeletionResponse
    {
        public string KeyId { get; set; }
        public DateTime? DeletionDate { get; set; }
        public string KeyState { get; set; }
        public int? PendingWindowInDays { get; set; }
    }

    public sealed class CancelKeyDeletionRequest
    {
        public string KeyId { get; set; }
    }

    public sealed class CancelKeyDeletionResponse
    {
        public string KeyId { get; set; }
    }

    public sealed class UpdateAliasRequest
    {
        public string AliasName { get; set; }
        public string TargetKeyId { get; set; }
    }

    public sealed class DeleteAliasRequest
    {
        public string AliasName { get; set; }
    }

    public sealed class EnableKeyRotationRequest
    {
        public string KeyId { get; set; }
        public int? RotationPeriodInDays { get; set; }
    }

    public sealed class DisableKeyRotationRequest
    {
        public string KeyId { get; set; }
    }

    public sealed class GetKeyRotationStatusRequest
    {
        public string KeyId { get; set; }
    }

    public sealed class GetKeyRotationStatusResponse
    {
        public bool KeyRotationEnabled { get; set; }
        public string KeyId { get; set; }
        public int? RotationPeriodInDays { get; set; }
        public DateTime? NextRotationDate { get; set; }
        public DateTime? OnDemandRotationStartDate { get; set; }
    }

    public sealed class RotateKeyOnDemandRequest
    {
        public string KeyId { get; set; }
    }

    public sealed class RotateKeyOnDemandResponse
    {
        public string KeyId { get; set; }
    }

    public sealed class ListKeyRotationsRequest
    {
        public string KeyId { get; set; }
        public int? Limit { get; set; }
        public string Marker { get; set; }
    }

    public sealed class RotationsListEntry
    {
        public string KeyId { get; set; }
        public string KeyMaterialId { get; set; }
        public DateTime? RotationDate { get; set; }
        public string RotationType { get; set; }
    }

    public sealed class ListKeyRotationsResponse
    {
        public List<RotationsListEntry> Rotations { get; set; }
        public string NextMarker { get; set; }
        public bool Truncated { get; set; }
    }

    public sealed class TagResourceRequest
    {
        public string KeyId { get; set; }
        public List<Tag> Tags { get; set; }
    }

    public sealed class UntagResourceRequest
    {
        public string KeyId { get; set; }
        public List<string> TagKeys { get; set; }
    }

    public sealed class ListResourceTagsRequest
    {
        public string KeyId { get; set; }
        public int? Limit { get; set; }
        public string Marker { get; set; }
    }

    public sealed class ListResourceTagsResponse
    {
        public List<Tag> Tags { get; set; }
        public string NextMarker { get; set; }
        public bool Truncated { get; set; }
    }

    public sealed class GetPublicKeyRequest
    {
        public string KeyId { get; set; }
        public List<string> GrantTokens { get; set; }
    }

    public sealed class GetPublicKeyResponse
    {
        public string KeyId { get; set; }
        public byte[] PublicKey { get; set; }
        public string CustomerMasterKeySpec { get; set; }
        public string KeySpec { get; set; }
        public string KeyUsage { get; set; }
        public List<string> EncryptionAlgorithms { get; set; }
        public List<string> SigningAlgorithms { get; set; }
        public List<string> KeyAgreementAlgorithms { get; set; }

        [JsonIgnore] public string PublicKeyBase64 => PublicKey == null ? null : Convert.ToBase64String(PublicKey);
        [JsonIgnore] public string PublicKeyPem => PublicKey == null ? null : Pem.Encode(Pem.PublicKeyLabel, PublicKey);
    }
}
