using System;
using System.Collections.Generic;
using KmsTools.Crypto;
using Newtonsoft.Json;

// The data-key family beyond the headline: GenerateDataKeyPair, GenerateDataKey(WithoutPlaintext), Encrypt,
// ReEncrypt, GenerateRandom. Names as in the API model; [JsonIgnore] members are views for PowerShell users.
namespace KmsTools.Model
{
    public sealed class GenerateDataKeyPairRequest
    {
        public Dictionary<string, string> EncryptionContext { get; set; }
        public string KeyId { get; set; }
        public string KeyPairSpec { get; set; }
        public List<string> GrantTokens { get; set; }
        public bool? DryRun { get; set; }
    }

    public sealed class GenerateDataKeyPairResponse
    {
        public byte[] PrivateKeyCiphertextBlob { get; set; }
        public byte[] PrivateKeyPlaintext { get; set; }
        public byte[] PublicKey { get; set; }
        public string KeyId { get; set; }
        public string KeyPairSpec { get; set; }
        public string KeyMaterialId { get; set; }

        [JsonIgnore] public Dictionary<string, string> EncryptionContext { get; set; }
        [JsonIgnore] public string PublicKeyBase64 => PublicKey == null ? null : Convert.ToBase64String(PublicKey);
        [JsonIgnore] public string PublicKeyPem => PublicKey == null ? null : Pem.Encode(Pem.PublicKeyLabel, PublicKey);
        [JsonIgnore] public string PrivateKeyCiphertextBlobBase64 =>
            PrivateKeyCiphertextBlob == null ? null : Convert.ToBase64String(PrivateKeyCiphertextBlob);

        [JsonIgnore] public int PrivateKeyPlaintextLength => PrivateKeyPlaintext?.Length ?? 0;

        /// <summary>
        /// The private key as PKCS#8 PEM ("PRIVATE KEY"). A secret, so a method and not a property: formatting
        /// (default views, Format-List, out-of-band output, transcripts) enumerates properties, never calls methods.
        /// </summary>
        public string GetPrivateKeyPem() => PrivateKeyPlaintext == null ? null : Pem.Encode(Pem.PrivateKeyLabel, PrivateKeyPlaintext);
    }

    public sealed class GenerateDataKeyRequest
    {
        public string KeyId { get; set; }
        public Dictionary<string, string> EncryptionContext { get; set; }
        public int? NumberOfBytes { get; set; }
        public string KeySpec { get; set; }
        public List<string> GrantTokens { get; set; }
        public bool? DryRun { get; set; }
    }

    public sealed class GenerateDataKeyResponse
    {
        public byte[] CiphertextBlob { get; set; }
        public byte[] Plaintext { get; set; }
        public string KeyId { get; set; }
        public string KeyMaterialId { get; set; }

        /// <summary>The plaintext's length: what default views show instead of the secret bytes.</summary>
        [JsonIgnore] public int PlaintextLength => Plaintext?.Length ?? 0;
        [JsonIgnore] public Dictionary<string, string> EncryptionContext { get; set; }
        [JsonIgnore] public string CiphertextBlobBase64 => CiphertextBlob == null ? null : Convert.ToBase64String(CiphertextBlob);
    }

    public sealed class GenerateDataKeyWithoutPlaintextRequest
    {
        public string KeyId { get; set; }
        public Dictionary<string, string> EncryptionContext { get; set; }
        public string KeySpec { get; set; }
        public int? NumberOfBytes { get; set; }
        public List<string> GrantTokens { get; set; }
        public bool? DryRun { get; set; }
    }

    public sealed class GenerateDataKeyWithoutPlaintextResponse
    {
        public byte[] CiphertextBlob { get; set; }
        public string KeyId { get; set; }
        public string KeyMaterialId { get; set; }

        [JsonIgnore] public Dictionary<string, string> EncryptionContext { get; set; }
        [JsonIgnore] public string CiphertextBlobBase64 => CiphertextBlob == null ? null : Convert.ToBase64String(CiphertextBlob);
    }

    public sealed class EncryptRequest
    {
        public string KeyId { get; set; }
        public byte[] Plaintext { get; set; }
        public Dictionary<string, string> EncryptionContext { get; set; }
        public List<string> GrantTokens { get; set; }
        public string EncryptionAlgorithm { get; set; }
        public bool? DryRun { get; set; }
    }

    public sealed class EncryptResponse
    {
        public byte[] CiphertextBlob { get; set; }
        public string KeyId { get; set; }
        public string EncryptionAlgorithm { get; set; }

        [JsonIgnore] public Dictionary<string, string> EncryptionContext { get; set; }
        [JsonIgnore] public string CiphertextBlobBase64 => CiphertextBlob == null ? null : Convert.ToBase64String(CiphertextBlob);
    }

    public sealed class ReEncryptRequest
    {
        public byte[] CiphertextBlob { get; set; }
        public Dictionary<string, string> SourceEncryptionContext { get; set; }
        public string SourceKeyId { get; set; }
        public string DestinationKeyId { get; set; }
        public Dictionary<string, string> DestinationEncryptionContext { get; set; }
        public string SourceEncryptionAlgorithm { get; set; }
        public string DestinationEncryptionAlgorithm { get; set; }
        public List<string> GrantTokens { get; set; }
        public bool? DryRun { get; set; }
    }

    public sealed class ReEncryptResponse
    {
        public byte[] CiphertextBlob { get; set; }
        public string SourceKeyId { get; set; }
        public string KeyId { get; set; }
        public string SourceEncryptionAlgorithm { get; set; }
        public string DestinationEncryptionAlgorithm { get; set; }
        public string SourceKeyMaterialId { get; set; }
        public string DestinationKeyMaterialId { get; set; }

        /// <summary>The destination encryption context: what Decrypt of the new blob needs.</summary>
        [JsonIgnore] public Dictionary<string, string> EncryptionContext { get; set; }
        [JsonIgnore] public string CiphertextBlobBase64 => CiphertextBlob == null ? null : Convert.ToBase64String(CiphertextBlob);
    }

    public sealed class GenerateRandomRequest
    {
        public int? NumberOfBytes { get; set; }
    }

    public sealed class GenerateRandomResponse
    {
        public byte[] Plaintext { get; set; }

        /// <summary>The random bytes' length: what default views show instead of the bytes.</summary>
        [JsonIgnore] public int PlaintextLength => Plaintext?.Length ?? 0;
    }
}
