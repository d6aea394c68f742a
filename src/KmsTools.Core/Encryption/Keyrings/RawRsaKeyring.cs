using System;
using System.Collections.Generic;
using System.Linq;
using System.Security.Cryptography;
using System.Threading;
using KmsTools.Crypto;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Security;

namespace KmsTools.Encryption.Keyrings
{
    /// <summary>
    /// The ESDK's raw RSA keyring (framework/raw-rsa-keyring.md) with OAEP, SHA-256 and MGF1 with SHA-256: the data key
    /// is wrapped with an RSA public key alone (no KMS call, no credentials) and unwrapped with its private key, for
    /// instance the private half of a KMS data key pair, which one KMS Decrypt opens. The encrypted data key's provider
    /// id is the key namespace and its provider information the key name: by default <see cref="DefaultNamespace"/> and
    /// the lowercase hex SHA-256 of the public key's DER SubjectPublicKeyInfo, so that the same pair always has the same
    /// name and the ESDK's raw RSA keyring opens the message when configured with both.
    /// </summary>
    public sealed class RawRsaKeyring : IKeyring
    {
        public const string DefaultNamespace = "kmstools-data-key-pair";
        private const string Padding = "RSAES_OAEP_SHA_256";

        private readonly RsaKeyParameters _publicKey;
        private readonly AsymmetricKeyParameter _privateKey;

        /// <param name="publicKeyInfo">DER SubjectPublicKeyInfo of the RSA key (what KMS returns as a pair's PublicKey); null for decrypt only.</param>
        /// <param name="privateKeyPkcs8">DER PKCS #8 of the RSA private key; null for encrypt only. Read here, not kept.</param>
        public RawRsaKeyring(byte[] publicKeyInfo, byte[] privateKeyPkcs8, string keyNamespace = null, string keyName = null)
        {
            if (publicKeyInfo == null && privateKeyPkcs8 == null) throw new ArgumentException("A raw RSA keyring needs a public key, a private key or both.");
            if (privateKeyPkcs8 != null)
            {
                _privateKey = ReadPrivate(privateKeyPkcs8);
                if (publicKeyInfo == null) publicKeyInfo = KeyPairGenerator.PublicKeyInfoOf(privateKeyPkcs8);
            }
            _publicKey = ReadPublic(publicKeyInfo);
            if (_privateKey != null && !_publicKey.Modulus.Equals(((RsaPrivateCrtKeyParameters)_privateKey).Modulus))
                throw new KmsException(KmsErrorCodes.Validation, "The RSA public key and private key are not one pair.", "PublicKey");
            KeyNamespace = string.IsNullOrEmpty(keyNamespace) ? DefaultNamespace : keyNamespace;
            if (KeyNamespace.StartsWith(KmsKeyring.ProviderId, StringComparison.Ordinal))
                throw new KmsException(KmsErrorCodes.Validation, $"The key namespace '{KeyNamespace}' starts with 'aws-kms', which the AWS Encryption SDK reserves for KMS keys.", "KeyNamespace");
            KeyName = string.IsNullOrEmpty(keyName) ? DefaultName(publicKeyInfo) : keyName;
        }

        public string KeyNamespace { get; }
        public string KeyName { get; }

        public string Description => $"RSA key {KeyNamespace}/{KeyName}";

        /// <summary>The default key name of a public key: the hex SHA-256 of its DER SubjectPublicKeyInfo (as `openssl pkey -pubin -outform DER | sha256sum` prints it).</summary>
        public static string DefaultName(byte[] publicKeyInfo)
        {
            using (var sha = SHA256.Create()) return Hex.ToLower(sha.ComputeHash(publicKeyInfo));
        }

        public void OnEncrypt(EncryptionMaterials materials, CancellationToken cancellationToken)
        {
            if (materials.PlaintextDataKey == null) materials.GenerateDataKey();
            byte[] wrapped = AsymmetricCipher.Encrypt(Padding, _publicKey, materials.PlaintextDataKey);
            materials.Add(new EncryptedDataKey(KeyNamespace, MessageFormat.Utf8Strict.GetBytes(KeyName), wrapped));
        }

        public byte[] OnDecrypt(AlgorithmSuite suite, IReadOnlyDictionary<string, string> encryptionContext, IReadOnlyList<EncryptedDataKey> keys,
            IList<string> failures, CancellationToken cancellationToken)
        {
            if (_privateKey == null) return null;
            byte[] name = MessageFormat.Utf8Strict.GetBytes(KeyName);
            foreach (EncryptedDataKey key in keys.Where(k => k.ProviderId == KeyNamespace && k.ProviderInfo.SequenceEqual(name)))
            {
                byte[] dataKey = AsymmetricCipher.Decrypt(Padding, _privateKey, key.Ciphertext);
                if (dataKey != null && dataKey.Length == suite.KeyLength) return dataKey;
                SecureBytes.Clear(dataKey);
                failures.Add($"{KeyNamespace}/{KeyName}: the encrypted data key does not open with this private key (RSA OAEP with SHA-256).");
            }
            return null;
        }

        private static RsaKeyParameters ReadPublic(byte[] publicKeyInfo)
        {
            AsymmetricKeyParameter key = KeyParsing.Parse(() => PublicKeyFactory.CreateKey(publicKeyInfo),
                "The public key is not a DER SubjectPublicKeyInfo (the PublicKey of a KMS key pair, or a PEM 'PUBLIC KEY').", "PublicKey");
            if (key is RsaKeyParameters rsa && !rsa.IsPrivate) return rsa;
            throw new KmsException(KmsErrorCodes.Validation,
                "The public key is neither an RSA key nor an EC key. Messages are encrypted to RSA data key pairs (RSA_2048, RSA_3072, RSA_4096) and to EC pairs on the NIST curves (ECC_NIST_P256, ECC_NIST_P384, ECC_NIST_P521); use one of those, or -KeyId.", "PublicKey");
        }

        private static AsymmetricKeyParameter ReadPrivate(byte[] pkcs8)
        {
            AsymmetricKeyParameter key = KeyParsing.Parse(() => PrivateKeyFactory.CreateKey(pkcs8),
                "The private key is not a DER PKCS #8 private key (the private half of a KMS key pair).", "PrivateKey");
            if (key is RsaPrivateCrtKeyParameters) return key;
            throw new KmsException(KmsErrorCodes.Validation, "The private key is not an RSA private key with its CRT parameters.", "PrivateKey");
        }
    }
}
