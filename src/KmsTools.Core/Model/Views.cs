using System;
using System.Collections.Generic;
using KmsTools.Crypto;
using Newtonsoft.Json;

// PowerShell views of the generated request and response types (Generated/KmsShapes.g.cs): base64 and PEM forms,
// lengths in place of secrets, the encryption context a result is bound to. [JsonIgnore] keeps them out of the
// wire form that -Output and -Query print.
namespace KmsTools.Model
{
    public sealed partial class GenerateDataKeyPairWithoutPlaintextResponse
    {
        /// <summary>The encryption context the private key is bound to (non-secret); Decrypt needs the same one.</summary>
        [JsonIgnore] public Dictionary<string, string> EncryptionContext { get; set; }
        [JsonIgnore] public string PublicKeyBase64 => Views.Base64(PublicKey);
        [JsonIgnore] public string PublicKeyPem => Views.PublicKeyPem(PublicKey);
        [JsonIgnore] public string PrivateKeyCiphertextBlobBase64 => Views.Base64(PrivateKeyCiphertextBlob);
    }

    public sealed partial class GenerateDataKeyPairResponse
    {
        [JsonIgnore] public Dictionary<string, string> EncryptionContext { get; set; }
        [JsonIgnore] public string PublicKeyBase64 => Views.Base64(PublicKey);
        [JsonIgnore] public string PublicKeyPem => Views.PublicKeyPem(PublicKey);
        [JsonIgnore] public string PrivateKeyCiphertextBlobBase64 => Views.Base64(PrivateKeyCiphertextBlob);
        [JsonIgnore] public int PrivateKeyPlaintextLength => PrivateKeyPlaintext?.Length ?? 0;

        /// <summary>
        /// The private key as PKCS#8 PEM ("PRIVATE KEY"). A secret, so a method and not a property: formatting
        /// (default views, Format-List, out-of-band output, transcripts) enumerates properties, never calls methods.
        /// </summary>
        public string GetPrivateKeyPem() => PrivateKeyPlaintext == null ? null : Pem.Encode(Pem.PrivateKeyLabel, PrivateKeyPlaintext);
    }

    public sealed partial class GenerateDataKeyResponse
    {
        /// <summary>The plaintext's length: what default views show instead of the secret bytes.</summary>
        [JsonIgnore] public int PlaintextLength => Plaintext?.Length ?? 0;
        [JsonIgnore] public Dictionary<string, string> EncryptionContext { get; set; }
        [JsonIgnore] public string CiphertextBlobBase64 => Views.Base64(CiphertextBlob);
    }

    public sealed partial class GenerateDataKeyWithoutPlaintextResponse
    {
        [JsonIgnore] public Dictionary<string, string> EncryptionContext { get; set; }
        [JsonIgnore] public string CiphertextBlobBase64 => Views.Base64(CiphertextBlob);
    }

    public sealed partial class EncryptResponse
    {
        [JsonIgnore] public Dictionary<string, string> EncryptionContext { get; set; }
        [JsonIgnore] public string CiphertextBlobBase64 => Views.Base64(CiphertextBlob);
    }

    public sealed partial class ReEncryptResponse
    {
        /// <summary>The destination encryption context: what Decrypt of the new blob needs.</summary>
        [JsonIgnore] public Dictionary<string, string> EncryptionContext { get; set; }
        [JsonIgnore] public string CiphertextBlobBase64 => Views.Base64(CiphertextBlob);
    }

    public sealed partial class DecryptResponse
    {
        /// <summary>The plaintext's length: what default views show instead of the secret bytes.</summary>
        [JsonIgnore] public int PlaintextLength => Plaintext?.Length ?? 0;
    }

    public sealed partial class GenerateRandomResponse
    {
        /// <summary>The random bytes' length: what default views show instead of the bytes.</summary>
        [JsonIgnore] public int PlaintextLength => Plaintext?.Length ?? 0;
    }

    public sealed partial class GetPublicKeyResponse
    {
        [JsonIgnore] public string PublicKeyBase64 => Views.Base64(PublicKey);
        [JsonIgnore] public string PublicKeyPem => Views.PublicKeyPem(PublicKey);
    }

    public sealed partial class GetParametersForImportResponse
    {
        /// <summary>The wrapping public key as PEM, for openssl pkeyutl -encrypt -pubin -inkey.</summary>
        [JsonIgnore] public string PublicKeyPem => Views.PublicKeyPem(PublicKey);
        [JsonIgnore] public string PublicKeyBase64 => Views.Base64(PublicKey);
        [JsonIgnore] public string ImportTokenBase64 => Views.Base64(ImportToken);
    }

    public sealed partial class GenerateMacResponse
    {
        /// <summary>The MAC as base64: what Test-KmsMac -Mac and the aws CLI take.</summary>
        [JsonIgnore] public string MacBase64 => Views.Base64(Mac);
    }

    public sealed partial class SignResponse
    {
        /// <summary>The signature as base64: what Test-KmsSignature -Signature and the aws CLI take.</summary>
        [JsonIgnore] public string SignatureBase64 => Views.Base64(Signature);
    }

    public sealed partial class DeriveSharedSecretResponse
    {
        /// <summary>The shared secret's length: what default views show instead of the secret bytes.</summary>
        [JsonIgnore] public int SharedSecretLength => SharedSecret?.Length ?? 0;
    }

    public sealed partial class KeyMetadata
    {
        public override string ToString() => Arn ?? KeyId ?? base.ToString();
    }

    public sealed partial class KeyListEntry
    {
        public override string ToString() => KeyArn ?? KeyId;
    }

    public sealed partial class AliasListEntry
    {
        public override string ToString() => AliasName;
    }

    internal static class Views
    {
        public static string Base64(byte[] bytes) => bytes == null ? null : Convert.ToBase64String(bytes);

        public static string PublicKeyPem(byte[] spki) => spki == null ? null : Pem.Encode(Pem.PublicKeyLabel, spki);
    }
}
