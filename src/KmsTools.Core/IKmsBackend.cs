using System.Threading;
using KmsTools.Model;

namespace KmsTools
{
    /// <summary>
    /// One method per KMS operation, named as in the API model. The local engine and the remote
    /// client both implement it, so callers never know which one answers. Failures are <see cref="KmsException"/>;
    /// a call whose token is cancelled (a stopped pipeline, Ctrl+C) ends promptly with OperationCanceledException,
    /// leaving nothing behind (slow work such as RSA generation is abandoned and its result zeroed).
    /// </summary>
    public interface IKmsBackend
    {
        /// <summary>Says where requests go, for -Verbose ("local store at ...", "endpoint ...").</summary>
        string Description { get; }

        string Region { get; }

        GenerateDataKeyPairWithoutPlaintextResponse GenerateDataKeyPairWithoutPlaintext(GenerateDataKeyPairWithoutPlaintextRequest request, CancellationToken cancellationToken = default);
        GenerateDataKeyPairResponse GenerateDataKeyPair(GenerateDataKeyPairRequest request, CancellationToken cancellationToken = default);
        GenerateDataKeyResponse GenerateDataKey(GenerateDataKeyRequest request, CancellationToken cancellationToken = default);
        GenerateDataKeyWithoutPlaintextResponse GenerateDataKeyWithoutPlaintext(GenerateDataKeyWithoutPlaintextRequest request, CancellationToken cancellationToken = default);
        EncryptResponse Encrypt(EncryptRequest request, CancellationToken cancellationToken = default);
        DecryptResponse Decrypt(DecryptRequest request, CancellationToken cancellationToken = default);
        ReEncryptResponse ReEncrypt(ReEncryptRequest request, CancellationToken cancellationToken = default);
        GenerateRandomResponse GenerateRandom(GenerateRandomRequest request, CancellationToken cancellationToken = default);
        CreateKeyResponse CreateKey(CreateKeyRequest request, CancellationToken cancellationToken = default);
        DescribeKeyResponse DescribeKey(DescribeKeyRequest request, CancellationToken cancellationToken = default);
        ListKeysResponse ListKeys(ListKeysRequest request, CancellationToken cancellationToken = default);
        CreateAliasResponse CreateAlias(CreateAliasRequest request, CancellationToken cancellationToken = default);
        ListAliasesResponse ListAliases(ListAliasesRequest request, CancellationToken cancellationToken = default);
        UpdateAliasResponse UpdateAlias(UpdateAliasRequest request, CancellationToken cancellationToken = default);
        DeleteAliasResponse DeleteAlias(DeleteAliasRequest request, CancellationToken cancellationToken = default);
        UpdateKeyDescriptionResponse UpdateKeyDescription(UpdateKeyDescriptionRequest request, CancellationToken cancellationToken = default);
        EnableKeyResponse EnableKey(EnableKeyRequest request, CancellationToken cancellationToken = default);
        DisableKeyResponse DisableKey(DisableKeyRequest request, CancellationToken cancellationToken = default);
        ScheduleKeyDeletionResponse ScheduleKeyDeletion(ScheduleKeyDeletionRequest request, CancellationToken cancellationToken = default);
        CancelKeyDeletionResponse CancelKeyDeletion(CancelKeyDeletionRequest request, CancellationToken cancellationToken = default);
        EnableKeyRotationResponse EnableKeyRotation(EnableKeyRotationRequest request, CancellationToken cancellationToken = default);
        DisableKeyRotationResponse DisableKeyRotation(DisableKeyRotationRequest request, CancellationToken cancellationToken = default);
        GetKeyRotationStatusResponse GetKeyRotationStatus(GetKeyRotationStatusRequest request, CancellationToken cancellationToken = default);
        RotateKeyOnDemandResponse RotateKeyOnDemand(RotateKeyOnDemandRequest request, CancellationToken cancellationToken = default);
        ListKeyRotationsResponse ListKeyRotations(ListKeyRotationsRequest request, CancellationToken cancellationToken = default);
        TagResourceResponse TagResource(TagResourceRequest request, CancellationToken cancellationToken = default);
        UntagResourceResponse UntagResource(UntagResourceRequest request, CancellationToken cancellationToken = default);
        ListResourceTagsResponse ListResourceTags(ListResourceTagsRequest request, CancellationToken cancellationToken = default);
        GetPublicKeyResponse GetPublicKey(GetPublicKeyRequest request, CancellationToken cancellationToken = default);

        GenerateMacResponse GenerateMac(GenerateMacRequest request, CancellationToken cancellationToken = default);

        VerifyMacResponse VerifyMac(VerifyMacRequest request, CancellationToken cancellationToken = default);

        SignResponse Sign(SignRequest request, CancellationToken cancellationToken = default);

        VerifyResponse Verify(VerifyRequest request, CancellationToken cancellationToken = default);

        DeriveSharedSecretResponse DeriveSharedSecret(DeriveSharedSecretRequest request, CancellationToken cancellationToken = default);

        GetKeyPolicyResponse GetKeyPolicy(GetKeyPolicyRequest request, CancellationToken cancellationToken = default);
        PutKeyPolicyResponse PutKeyPolicy(PutKeyPolicyRequest request, CancellationToken cancellationToken = default);
        ListKeyPoliciesResponse ListKeyPolicies(ListKeyPoliciesRequest request, CancellationToken cancellationToken = default);
        CreateGrantResponse CreateGrant(CreateGrantRequest request, CancellationToken cancellationToken = default);
        ListGrantsResponse ListGrants(ListGrantsRequest request, CancellationToken cancellationToken = default);
        ListGrantsResponse ListRetirableGrants(ListRetirableGrantsRequest request, CancellationToken cancellationToken = default);
        RetireGrantResponse RetireGrant(RetireGrantRequest request, CancellationToken cancellationToken = default);
        RevokeGrantResponse RevokeGrant(RevokeGrantRequest request, CancellationToken cancellationToken = default);
        GetParametersForImportResponse GetParametersForImport(GetParametersForImportRequest request, CancellationToken cancellationToken = default);
        ImportKeyMaterialResponse ImportKeyMaterial(ImportKeyMaterialRequest request, CancellationToken cancellationToken = default);
        DeleteImportedKeyMaterialResponse DeleteImportedKeyMaterial(DeleteImportedKeyMaterialRequest request, CancellationToken cancellationToken = default);
        ReplicateKeyResponse ReplicateKey(ReplicateKeyRequest request, CancellationToken cancellationToken = default);
        UpdatePrimaryRegionResponse UpdatePrimaryRegion(UpdatePrimaryRegionRequest request, CancellationToken cancellationToken = default);
        GetKeyLastUsageResponse GetKeyLastUsage(GetKeyLastUsageRequest request, CancellationToken cancellationToken = default);
    }
}
