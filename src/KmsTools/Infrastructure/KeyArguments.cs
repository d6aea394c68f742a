using System;
using System.Collections.Generic;
using System.IO;
using System.Management.Automation;
using System.Text;
using KmsTools.Crypto;

namespace KmsTools.Infrastructure
{
    /// <summary>
    /// The key material the Encryption SDK cmdlets take: a public key as DER (the PublicKey of a KMS key pair), a PEM
    /// "PUBLIC KEY" text, its base64, or a file of either; a private key as DER PKCS #8, PEM "PRIVATE KEY" text or a
    /// file of either; a key pair as the object New-KmsDataKeyPairWithoutPlaintext or New-KmsDataKeyPair writes (or
    /// any object with the same properties, such as one read back with Import-Clixml).
    /// </summary>
    internal static class KeyArguments
    {
        private const int MaxKeyFileBytes = 64 * 1024;

        public static byte[] PublicKey(object value, string member) => Read(value, member, Pem.PublicKeyLabel, "a public key");

        public static byte[] PrivateKey(object value, string member) => Read(value, member, Pem.PrivateKeyLabel, "a private key");

        /// <summary>A key pair object's properties: the public key, the private key's ciphertext and plaintext (either may be absent), the KMS key and the context.</summary>
        public static KeyPairArgument KeyPair(object value)
        {
            PSObject pair = value == null ? null : PSObject.AsPSObject(value);
            object Property(string name) => pair?.Properties[name]?.Value is object v ? (v is PSObject p ? p.BaseObject : v) : null;
            var result = new KeyPairArgument
            {
                PublicKey = Property("PublicKey") is object publicKey ? PublicKey(publicKey, "KeyPair") : null,
                PrivateKeyCiphertextBlob = Property("PrivateKeyCiphertextBlob") is object blob ? BlobArgument.ToBytes(blob, "KeyPair") : null,
                PrivateKeyPlaintext = Property("PrivateKeyPlaintext") as byte[],
                KeyId = Property("KeyId") as string,
                EncryptionContext = Property("EncryptionContext") is object context ? ParameterValues.ToEncryptionContext(context) : null,
            };
            if (result.PublicKey == null && result.PrivateKeyCiphertextBlob == null && result.PrivateKeyPlaintext == null)
                throw new KmsException(KmsErrorCodes.Validation,
                    "-KeyPair takes what New-KmsDataKeyPairWithoutPlaintext or New-KmsDataKeyPair writes (an object with PublicKey and PrivateKeyCiphertextBlob); this object has neither.", "KeyPair");
            return result;
        }

        private static byte[] Read(object value, string member, string pemLabel, string what)
        {
            object raw = value is PSObject wrapped ? wrapped.BaseObject : value;
            switch (raw)
            {
                case null:
                    return null;
                case byte[] bytes:
                    return bytes;
                case string text:
                    return FromText(text, member, pemLabel, what);
                case FileInfo file:
                    byte[] content = InputFiles.ReadAtMost(file.FullName, MaxKeyFileBytes, member);
                    if (content.Length > 0 && content[0] == 0x30) return content; // DER: a SEQUENCE
                    try
                    {
                        return FromText(Encoding.ASCII.GetString(content), member, pemLabel, what);
                    }
                    finally
                    {
                        SecureBytes.Clear(content);
                    }
                default:
                    if (raw is object[] items) return BlobArgument.ToBytes(items, member);
                    throw new KmsException(KmsErrorCodes.Validation,
                        $"{member}: a {raw.GetType().Name} is not {what}. Pass its DER bytes, its PEM text, or a file (Get-Item key.pem).", member);
            }
        }

        private static byte[] FromText(string text, string member, string pemLabel, string what)
        {
            if (text.Contains("-----BEGIN "))
            {
                byte[] der = Pem.Decode(pemLabel, text);
                if (der == null)
                    throw new KmsException(KmsErrorCodes.Validation,
                        $"{member}: the text has no PEM block labelled '{pemLabel}' (RSA keys in PKCS #1 form convert with: openssl pkey -in key.pem).", member);
                return der;
            }
            if (pemLabel == Pem.PrivateKeyLabel)
                throw new KmsException(KmsErrorCodes.Validation, $"{member}: a private key string must be PEM ('-----BEGIN PRIVATE KEY-----').", member);
            return BlobArgument.ToBytes(text, member);
        }
    }

    internal sealed class KeyPairArgument
    {
        public byte[] PublicKey { get; set; }
        public byte[] PrivateKeyCiphertextBlob { get; set; }
        public byte[] PrivateKeyPlaintext { get; set; }
        public string KeyId { get; set; }
        public Dictionary<string, string> EncryptionContext { get; set; }
    }
}
