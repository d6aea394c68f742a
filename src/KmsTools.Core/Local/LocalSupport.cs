using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using KmsTools.Model;

namespace KmsTools.Local
{
    /// <summary>
    /// The request members the local engine honours. The request types carry every member of the API model (they are
    /// generated from it, and the remote backend passes them all on), so a member given here and not honoured would
    /// be silently ignored: instead it is refused by name before any work, and nothing changes.
    /// </summary>
    internal static class LocalSupport
    {
        private static readonly Dictionary<Type, HashSet<string>> Honoured = new Dictionary<Type, HashSet<string>>
        {
            [typeof(GenerateDataKeyPairWithoutPlaintextRequest)] = Members("EncryptionContext", "KeyId", "KeyPairSpec", "GrantTokens", "DryRun"),
            [typeof(GenerateDataKeyPairRequest)] = Members("EncryptionContext", "KeyId", "KeyPairSpec", "GrantTokens", "DryRun"),
            [typeof(GenerateDataKeyRequest)] = Members("KeyId", "EncryptionContext", "NumberOfBytes", "KeySpec", "GrantTokens", "DryRun"),
            [typeof(GenerateDataKeyWithoutPlaintextRequest)] = Members("KeyId", "EncryptionContext", "KeySpec", "NumberOfBytes", "GrantTokens", "DryRun"),
            [typeof(EncryptRequest)] = Members("KeyId", "Plaintext", "EncryptionContext", "GrantTokens", "EncryptionAlgorithm", "DryRun"),
            [typeof(DecryptRequest)] = Members("CiphertextBlob", "EncryptionContext", "GrantTokens", "KeyId", "EncryptionAlgorithm", "DryRun"),
            [typeof(ReEncryptRequest)] = Members("CiphertextBlob", "SourceEncryptionContext", "SourceKeyId", "DestinationKeyId",
                "DestinationEncryptionContext", "SourceEncryptionAlgorithm", "DestinationEncryptionAlgorithm", "GrantTokens", "DryRun"),
            [typeof(GenerateRandomRequest)] = Members("NumberOfBytes"),
            [typeof(CreateKeyRequest)] = Members("Description", "KeyUsage", "KeySpec", "CustomerMasterKeySpec", "Tags", "Policy", "BypassPolicyLockoutSafetyCheck", "Origin", "MultiRegion"),
            [typeof(DescribeKeyRequest)] = Members("KeyId", "GrantTokens"),
            [typeof(ListKeysRequest)] = Members("Limit", "Marker"),
            [typeof(CreateAliasRequest)] = Members("AliasName", "TargetKeyId"),
            [typeof(ListAliasesRequest)] = Members("KeyId", "Limit", "Marker"),
            [typeof(UpdateAliasRequest)] = Members("AliasName", "TargetKeyId"),
            [typeof(DeleteAliasRequest)] = Members("AliasName"),
            [typeof(UpdateKeyDescriptionRequest)] = Members("KeyId", "Description"),
            [typeof(EnableKeyRequest)] = Members("KeyId"),
            [typeof(DisableKeyRequest)] = Members("KeyId"),
            [typeof(ScheduleKeyDeletionRequest)] = Members("KeyId", "PendingWindowInDays"),
            [typeof(CancelKeyDeletionRequest)] = Members("KeyId"),
            [typeof(EnableKeyRotationRequest)] = Members("KeyId", "RotationPeriodInDays"),
            [typeof(DisableKeyRotationRequest)] = Members("KeyId"),
            [typeof(GetKeyRotationStatusRequest)] = Members("KeyId"),
            [typeof(RotateKeyOnDemandRequest)] = Members("KeyId"),
            [typeof(ListKeyRotationsRequest)] = Members("KeyId", "Limit", "Marker"),
            [typeof(TagResourceRequest)] = Members("KeyId", "Tags"),
            [typeof(UntagResourceRequest)] = Members("KeyId", "TagKeys"),
            [typeof(ListResourceTagsRequest)] = Members("KeyId", "Limit", "Marker"),
            [typeof(GetPublicKeyRequest)] = Members("KeyId", "GrantTokens"),
            [typeof(GenerateMacRequest)] = Members("Message", "KeyId", "MacAlgorithm", "GrantTokens", "DryRun"),
            [typeof(VerifyMacRequest)] = Members("Message", "KeyId", "MacAlgorithm", "Mac", "GrantTokens", "DryRun"),
            [typeof(DeriveSharedSecretRequest)] = Members("KeyId", "KeyAgreementAlgorithm", "PublicKey", "GrantTokens", "DryRun"),
            [typeof(SignRequest)] = Members("KeyId", "Message", "MessageType", "GrantTokens", "SigningAlgorithm", "DryRun"),
            [typeof(VerifyRequest)] = Members("KeyId", "Message", "MessageType", "Signature", "SigningAlgorithm", "GrantTokens", "DryRun"),
            [typeof(GetKeyPolicyRequest)] = Members("KeyId", "PolicyName"),
            [typeof(PutKeyPolicyRequest)] = Members("KeyId", "PolicyName", "Policy", "BypassPolicyLockoutSafetyCheck"),
            [typeof(ListKeyPoliciesRequest)] = Members("KeyId", "Limit", "Marker"),
            [typeof(CreateGrantRequest)] = Members("KeyId", "GranteePrincipal", "RetiringPrincipal", "Operations", "Constraints", "GrantTokens", "Name", "DryRun"),
            [typeof(ListGrantsRequest)] = Members("Limit", "Marker", "KeyId", "GrantId", "GranteePrincipal"),
            [typeof(ListRetirableGrantsRequest)] = Members("Limit", "Marker", "RetiringPrincipal"),
            [typeof(RetireGrantRequest)] = Members("GrantToken", "KeyId", "GrantId", "DryRun"),
            [typeof(RevokeGrantRequest)] = Members("KeyId", "GrantId", "DryRun"),
            [typeof(GetParametersForImportRequest)] = Members("KeyId", "WrappingAlgorithm", "WrappingKeySpec"),
            [typeof(ImportKeyMaterialRequest)] = Members("KeyId", "ImportToken", "EncryptedKeyMaterial", "ValidTo", "ExpirationModel", "ImportType", "KeyMaterialId"),
            [typeof(DeleteImportedKeyMaterialRequest)] = Members("KeyId", "KeyMaterialId"),
            [typeof(ReplicateKeyRequest)] = Members("KeyId", "ReplicaRegion", "Policy", "BypassPolicyLockoutSafetyCheck", "Description", "Tags"),
            [typeof(UpdatePrimaryRegionRequest)] = Members("KeyId", "PrimaryRegion"),
            [typeof(GetKeyLastUsageRequest)] = Members("KeyId"),
        };

        /// <summary>Throws a ValidationException naming the first member the engine would ignore (null members count as absent).</summary>
        public static void Check(object request)
        {
            if (request == null) throw new ArgumentNullException(nameof(request));
            Type type = request.GetType();
            Honoured.TryGetValue(type, out HashSet<string> honoured);
            foreach (PropertyInfo member in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
            {
                if (honoured != null && honoured.Contains(member.Name) || member.GetValue(request) == null) continue;
                string operation = type.Name.Substring(0, type.Name.Length - "Request".Length);
                throw new KmsException(KmsErrorCodes.Validation,
                    $"KmsTools does not support the member \"{member.Name}\" of {operation} in the local engine; remove it, or send the request to AWS KMS (-Backend Remote).",
                    member.Name);
            }
        }

        private static HashSet<string> Members(params string[] names) => new HashSet<string>(names, StringComparer.Ordinal);
    }
}
