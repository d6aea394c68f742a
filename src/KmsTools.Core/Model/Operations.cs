using System;
using System.Collections.Generic;
using KmsTools.Crypto;
using Newtonsoft.Json;

// Requests and responses of the KMS operations, named as in the API model (kms-service-2.json).
// Their JSON form is the wire form; members marked [JsonIgnore] are views for PowerShell users.
namespace KmsTools.Model
{
    public sealed class GenerateDataKeyPairWithoutPlaintextRequest
    {
        public Dictionary<string, string> EncryptionContext { get; set; }
        public string KeyId { get; set; }
        public string KeyPairSpec { get; set; }
        public List<string> GrantTokens { get; set; }
        public bool? DryRun { get; set; }
    }

    public sealed class GenerateDataKeyPairWithoutPlaintextResponse
    {
        public byte[] PrivateKeyCiphertextBlob { get; set; }
        public byte[] PublicKey { get; set; }
        public string KeyId { get; set; }
        public string KeyPairSpec { get; set; }
        public string KeyMaterialId { get; set; }

        /// <summary>The encryption context the private key is bound to (non-secret); Decrypt needs the same one.</summary>
        [JsonIgnore] public Dictionary<string, string> EncryptionContext { get; set; }
        [JsonIgnore] public string PublicKeyBase64 => PublicKey == null ? null : Convert.ToBase64String(PublicKey);
        [JsonIgnore] public string PublicKeyPem => PublicKey == null ? null : Pem.Encode(Pem.PublicKeyLabel, PublicKey);
        [JsonIgnore] public string PrivateKeyCiphertextBlobBase64 =>
            PrivateKeyCiphertextBlob == null ? null : Convert.ToBase64String(PrivateKeyCiphertextBlob);
    }

    public sealed class DecryptRequest
    {
        public byte[] CiphertextBlob { get; set; }
        public Dictionary<string, string> EncryptionContext { get; set; }
        public List<string> GrantTokens { get; set; }
        public string KeyId { get; set; }
        public string EncryptionAlgorithm { get; set; }
        public bool? DryRun { get; set; }
    }

    public sealed class DecryptResponse
    {
        public string KeyId { get; set; }
        public byte[] Plaintext { get; set; }
        public string EncryptionAlgorithm { get; set; }
        public string KeyMaterialId { get; set; }

        /// <summary>The plaintext's length: what default views show instead of the secret bytes.</summary>
        [JsonIgnore] public int PlaintextLength => Plaintext?.Length ?? 0;
    }

    public sealed class CreateKeyRequest
    {
        public string Description { get; set; }
        public string KeyUsage { get; set; }
        public string KeySpec { get; set; }
        public List<Tag> Tags { get; set; }
    }

    public sealed class CreateKeyResponse
    {
        public KeyMetadata KeyMetadata { get; set; }
    }

    public sealed class DescribeKeyRequest
    {
        public string KeyId { get; set; }
        public List<string> GrantTokens { get; set; }
    }

    public sealed class DescribeKeyResponse
    {
        public KeyMetadata KeyMetadata { get; set; }
    }

    public sealed class ListKeysRequest
    {
        public int? Limit { get; set; }
        public string Marker { get; set; }
    }

    public sealed class ListKeysResponse
    {
        public List<KeyListEntry> Keys { get; set; }
        public string NextMarker { get; set; }
        public bool Truncated { get; set; }
    }

    public sealed class CreateAliasRequest
    {
        public string AliasName { get; set; }
        public string TargetKeyId { get; set; }
    }

    public sealed class ListAliasesRequest
    {
        public string KeyId { get; set; }
        public int? Limit { get; set; }
        public string Marker { get; set; }
    }

    public sealed class ListAliasesResponse
    {
        public List<AliasListEntry> Aliases { get; set; }
        public string NextMarker { get; set; }
        public bool Truncated { get; set; }
    }
}
