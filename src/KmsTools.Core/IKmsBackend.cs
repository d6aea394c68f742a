using KmsTools.Model;

namespace KmsTools
{
    /// <summary>
    /// One method per KMS operation, named as in the API model. The local engine and the remote
    /// client both implement it, so callers never know which one answers. Failures are <see cref="KmsException"/>.
    /// </summary>
    public interface IKmsBackend
    {
        /// <summary>Says where requests go, for -Verbose ("local store at ...", "endpoint ...").</summary>
        string Description { get; }

        string Region { get; }

        GenerateDataKeyPairWithoutPlaintextResponse GenerateDataKeyPairWithoutPlaintext(GenerateDataKeyPairWithoutPlaintextRequest request);
        GenerateDataKeyPairResponse GenerateDataKeyPair(GenerateDataKeyPairRequest request);
        GenerateDataKeyResponse GenerateDataKey(GenerateDataKeyRequest request);
        GenerateDataKeyWithoutPlaintextResponse GenerateDataKeyWithoutPlaintext(GenerateDataKeyWithoutPlaintextRequest request);
        EncryptResponse Encrypt(EncryptRequest request);
        DecryptResponse Decrypt(DecryptRequest request);
        ReEncryptResponse ReEncrypt(ReEncryptRequest request);
        GenerateRandomResponse GenerateRandom(GenerateRandomRequest request);
        CreateKeyResponse CreateKey(CreateKeyRequest request);
        DescribeKeyResponse DescribeKey(DescribeKeyRequest request);
        ListKeysResponse ListKeys(ListKeysRequest request);
        void CreateAlias(CreateAliasRequest request);
        ListAliasesResponse ListAliases(ListAliasesRequest request);
        void UpdateAlias(UpdateAliasRequest request);
        void DeleteAlias(DeleteAliasRequest request);
        void UpdateKeyDescription(UpdateKeyDescriptionRequest request);
        void EnableKey(EnableKeyRequest request);
        void DisableKey(DisableKeyRequest request);
        ScheduleKeyDeletionResponse ScheduleKeyDeletion(ScheduleKeyDeletionRequest request);
        CancelKeyDeletionResponse CancelKeyDeletion(CancelKeyDeletionRequest request);
        void EnableKeyRotation(EnableKeyRotationRequest request);
        void DisableKeyRotation(DisableKeyRotationRequest request);
        GetKeyRotationStatusResponse GetKeyRotationStatus(GetKeyRotationStatusRequest request);
        RotateKeyOnDemandResponse RotateKeyOnDemand(RotateKeyOnDemandRequest request);
        ListKeyRotationsResponse ListKeyRotations(ListKeyRotationsRequest request);
        void TagResource(TagResourceRequest request);
        void UntagResource(UntagResourceRequest request);
        ListResourceTagsResponse ListResourceTags(ListResourceTagsRequest request);
        GetPublicKeyResponse GetPublicKey(GetPublicKeyRequest request);
    }
}
