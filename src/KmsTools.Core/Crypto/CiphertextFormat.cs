using System;
using System.Collections.Generic;
using System.Security.Cryptography;

namespace KmsTools.Crypto
{
    /// <summary>What a ciphertext blob says about itself before it is opened.</summary>
    public sealed class CiphertextHeader
    {
        internal CiphertextHeader(string keyId, string keyMaterialId)
        {
            KeyId = keyId;
            KeyMaterialId = keyMaterialId;
        }

        /// <summary>The bare key id (UUID) of the KMS key that sealed the blob.</summary>
        public string KeyId { get; }

        /// <summary>The 64-hex-digit id of the key material that sealed the blob.</summary>
        public string KeyMaterialId { get; }
    }

    /// <summary>
    /// KmsTools ciphertext blob, version 1 (docs/ciphertext-format.md has the layout and a test vector):
    /// <code>
    /// offset  size  field
    ///      0     2  magic "KT" (0x4B 0x54)
    ///      2     1  version (0x01)
    ///      3    16  KMS key id (the UUID's 32 hex digits as bytes, in string order)
    ///     19    32  key material id (its 64 hex digits as bytes)
    ///     51    12  nonce (fresh random per blob)
    ///     63     n  AES-256-GCM ciphertext
    ///   63+n    16  GCM tag
    /// </code>
    /// AAD = bytes 0..62 (the whole header) followed by <see cref="EncryptionContextEncoding"/> of the context,
    /// so neither the key ids nor the context can be changed without the tag failing.
    /// </summary>
    public static class CiphertextFormat
    {
        public const byte Version = 1;

        /// <summary>The same layout for a multi-Region key: bytes 3..18 are the 32 hex digits after its "mrk-".</summary>
        public const byte MultiRegionVersion = 2;
        private const string MultiRegionPrefix = "mrk-";
        public const int HeaderLength = 63;
        public const int TagLength = 16;
        public const int NonceLength = 12;
        public const int Overhead = HeaderLength + TagLength;
        public const int KeyMaterialLength = 32;
        private const int KeyIdOffset = 3, KeyMaterialIdOffset = 19, NonceOffset = 51;
        private static readonly RandomNumberGenerator Random = RandomNumberGenerator.Create(); // thread-safe

        public static byte[] Seal(byte[] keyMaterial, string keyId, string keyMaterialId, byte[] plaintext,
            IDictionary<string, string> encryptionContext)
        {
            var nonce = new byte[NonceLength];
            Random.GetBytes(nonce);
            return Seal(keyMaterial, keyId, keyMaterialId, plaintext, encryptionContext, nonce);
        }

        /// <summary>Seals with a given nonce: for the documented test vector only. Reusing a nonce under one key breaks GCM.</summary>
        internal static byte[] Seal(byte[] keyMaterial, string keyId, string keyMaterialId, byte[] plaintext,
            IDictionary<string, string> encryptionContext, byte[] nonce)
        {
            var blob = new byte[HeaderLength + plaintext.Length + TagLength];
            blob[0] = 0x4B;
            blob[1] = 0x54;
            bool multiRegion = keyId.StartsWith(MultiRegionPrefix, StringComparison.Ordinal);
            blob[2] = multiRegion ? MultiRegionVersion : Version;
            Hex.Decode(multiRegion ? keyId.Substring(MultiRegionPrefix.Length) : keyId, blob, KeyIdOffset, 16);
            Hex.Decode(keyMaterialId, blob, KeyMaterialIdOffset, 32);
            Buffer.BlockCopy(nonce, 0, blob, NonceOffset, NonceLength);

            RequireKeyLength(keyMaterial);
            AesGcmCipher.Encrypt(keyMaterial, nonce, Aad(blob, encryptionContext), plaintext, blob, HeaderLength);
            return blob;
        }

        /// <summary>Reads the header, or throws InvalidCiphertextException for anything that is not a version-1 blob.</summary>
        public static CiphertextHeader ReadHeader(byte[] blob)
        {
            if (blob == null || blob.Length < Overhead || blob[0] != 0x4B || blob[1] != 0x54 || (blob[2] != Version && blob[2] != MultiRegionVersion))
                throw InvalidCiphertext();
            string keyId = blob[2] == Version ? Hex.FormatUuid(blob, KeyIdOffset) : MultiRegionPrefix + Hex.ToLower(blob, KeyIdOffset, 16);
            return new CiphertextHeader(keyId, Hex.ToLower(blob, KeyMaterialIdOffset, 32));
        }

        /// <summary>Opens a blob; any tampering, a wrong key or a different context gives InvalidCiphertextException.</summary>
        public static byte[] Open(byte[] keyMaterial, byte[] blob, IDictionary<string, string> encryptionContext)
        {
            ReadHeader(blob);
            var nonce = new byte[NonceLength];
            Buffer.BlockCopy(blob, NonceOffset, nonce, 0, NonceLength);
            RequireKeyLength(keyMaterial);
            var plaintext = new byte[blob.Length - Overhead];
            if (AesGcmCipher.TryDecrypt(keyMaterial, nonce, Aad(blob, encryptionContext), blob, HeaderLength, blob.Length - HeaderLength, plaintext))
                return plaintext;
            SecureBytes.Clear(plaintext);
            throw InvalidCiphertext();
        }

        private static byte[] Aad(byte[] blob, IDictionary<string, string> encryptionContext)
        {
            byte[] context = EncryptionContextEncoding.Encode(encryptionContext);
            var aad = new byte[HeaderLength + context.Length];
            Buffer.BlockCopy(blob, 0, aad, 0, HeaderLength);
            Buffer.BlockCopy(context, 0, aad, HeaderLength, context.Length);
            return aad;
        }

        private static void RequireKeyLength(byte[] keyMaterial)
        {
            if (keyMaterial == null || keyMaterial.Length != KeyMaterialLength)
                throw new ArgumentException("AES-256 key material must be 32 bytes.", nameof(keyMaterial));
        }

        // KMS says nothing more than this, on purpose: the message must not help an attacker tell
        // a wrong context from a damaged blob.
        internal static KmsException InvalidCiphertext() => new KmsException(KmsErrorCodes.InvalidCiphertext, string.Empty, "CiphertextBlob");
    }
}
