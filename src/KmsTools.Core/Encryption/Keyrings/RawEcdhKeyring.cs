using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using System.Threading;
using KmsTools.Crypto;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Sec;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Generators;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Security;

namespace KmsTools.Encryption.Keyrings
{
    /// <summary>
    /// The ESDK's raw ECDH keyring (framework/raw-ecdh-keyring.md and key-agreement-schemas.md, as the Material
    /// Providers Library implements them) for a data key pair on a NIST curve: encrypt with the
    /// EphemeralPrivateKeyToStaticPublicKey scheme (a fresh key pair per message, the pair's public key as the
    /// recipient: no KMS call, no credentials), decrypt with the PublicKeyDiscovery scheme (the pair's private key).
    /// <para>
    /// Per message: Z = ECDH(ephemeral, recipient), the x-coordinate; FixedInfo = "ecdh-key-derivation" 00 curve 00
    /// "HMAC_SHA384" 00 sender || recipient (compressed points) 00 01 00 serialized encryption context; 64 bytes from
    /// NIST SP 800-108 counter mode with HMAC-SHA384 keyed by Z over [i]32 || FixedInfo || 00 || salt || [512]32 with a
    /// random 32-byte salt; the first 32 bytes are a commitment key, the last 32 the AES-256-GCM key that wraps the
    /// data key (zero IV, FixedInfo as AAD). The encrypted data key: provider id "raw-ecdh"; provider information
    /// 01 || len || recipient || len || sender; ciphertext salt || commitment key || wrapped key || tag.
    /// </para>
    /// </summary>
    public sealed class RawEcdhKeyring : IKeyring
    {
        public const string ProviderId = "raw-ecdh";
        public const string KmsEcdhProviderId = "aws-kms-ecdh";
        private const byte KeyringVersion = 0x01;
        private const int SaltLength = 32, CommitKeyLength = 32, TagLength = 16;
        private static readonly byte[] KdfLabel = MessageFormat.Utf8Strict.GetBytes("ecdh-key-derivation");
        private static readonly byte[] PrfName = MessageFormat.Utf8Strict.GetBytes("HMAC_SHA384");

        // The curves the keyring defines (its ECDHCurveSpec), by the named-curve OID of the key: the name in FixedInfo.
        private static readonly Dictionary<DerObjectIdentifier, string> Curves = new Dictionary<DerObjectIdentifier, string>
        {
            [SecObjectIdentifiers.SecP256r1] = "p256",
            [SecObjectIdentifiers.SecP384r1] = "p384",
            [SecObjectIdentifiers.SecP521r1] = "p521",
        };

        private readonly ECPublicKeyParameters _recipient;
        private readonly ECPrivateKeyParameters _privateKey;
        private readonly byte[] _compressedRecipient;
        private readonly byte[] _curveName;

        /// <param name="publicKeyInfo">DER SubjectPublicKeyInfo of the pair's public key; null when the private key is given.</param>
        /// <param name="privateKeyPkcs8">DER PKCS #8 of the pair's private key; null for encrypt only. Read here, not kept.</param>
        public RawEcdhKeyring(byte[] publicKeyInfo, byte[] privateKeyPkcs8)
        {
            if (publicKeyInfo == null && privateKeyPkcs8 == null) throw new ArgumentException("A raw ECDH keyring needs a public key, a private key or both.");
            if (privateKeyPkcs8 != null)
            {
                _privateKey = KeyParsing.Parse(() => PrivateKeyFactory.CreateKey(privateKeyPkcs8),
                    "The private key is not a DER PKCS #8 private key (the private half of a KMS key pair).", "PrivateKey") as ECPrivateKeyParameters
                    ?? throw new KmsException(KmsErrorCodes.Validation, "The private key is not an EC private key.", "PrivateKey");
                if (publicKeyInfo == null) publicKeyInfo = KeyPairGenerator.PublicKeyInfoOf(privateKeyPkcs8);
            }
            _recipient = KeyParsing.Parse(() => PublicKeyFactory.CreateKey(publicKeyInfo),
                "The public key is not a DER SubjectPublicKeyInfo (the PublicKey of a KMS key pair, or a PEM 'PUBLIC KEY').", "PublicKey") as ECPublicKeyParameters
                ?? throw new KmsException(KmsErrorCodes.Validation, "The public key is not an EC public key.", "PublicKey");
            _curveName = MessageFormat.Utf8Strict.GetBytes(CurveName(_recipient));
            if (_privateKey != null && !_recipient.Parameters.G.Multiply(_privateKey.D).Normalize().Equals(_recipient.Q.Normalize()))
                throw new KmsException(KmsErrorCodes.Validation, "The EC public key and private key are not one pair.", "PublicKey");
            _compressedRecipient = _recipient.Q.GetEncoded(true);
        }

        /// <summary>Names the pair by its compressed point, as <see cref="DescribeProviderInfo"/> names an encrypted data key's recipient.</summary>
        public string Description => $"EC key pair ({MessageFormat.Utf8Strict.GetString(_curveName)}) recipient {Hex.ToLower(_compressedRecipient)}";

        /// <summary>An ECDH encrypted data key's provider information as people read it ("recipient 03ab... sender 02cd..."), or null when it does not parse.</summary>
        public static string DescribeProviderInfo(byte[] providerInfo) =>
            TryReadProviderInfo(providerInfo, out byte[] recipient, out byte[] sender) ? $"recipient {Hex.ToLower(recipient)} sender {Hex.ToLower(sender)}" : null;

        /// <summary>Whether the key (SubjectPublicKeyInfo or PKCS #8) is an elliptic-curve key, which this keyring, not the RSA one, serves.</summary>
        public static bool IsEcKey(byte[] publicKeyInfo, byte[] privateKeyPkcs8)
        {
            if (publicKeyInfo == null && privateKeyPkcs8 == null) return false;
            try
            {
                DerObjectIdentifier algorithm = publicKeyInfo != null
                    ? Org.BouncyCastle.Asn1.X509.SubjectPublicKeyInfo.GetInstance(publicKeyInfo).Algorithm.Algorithm
                    : Org.BouncyCastle.Asn1.Pkcs.PrivateKeyInfo.GetInstance(privateKeyPkcs8).PrivateKeyAlgorithm.Algorithm;
                return Org.BouncyCastle.Asn1.X9.X9ObjectIdentifiers.IdECPublicKey.Equals(algorithm);
            }
            catch (Exception e) when (e is ArgumentException || e is InvalidCastException || e is IOException || e is InvalidOperationException)
            {
                return false; // not DER at all: the RSA keyring's parse says so in its words
            }
        }

        public void OnEncrypt(EncryptionMaterials materials, CancellationToken cancellationToken)
        {
            if (materials.PlaintextDataKey == null) materials.GenerateDataKey();
            var generator = new ECKeyPairGenerator();
            generator.Init(new ECKeyGenerationParameters(_recipient.Parameters, new SecureRandom()));
            AsymmetricCipherKeyPair ephemeral = generator.GenerateKeyPair();
            byte[] sender = ((ECPublicKeyParameters)ephemeral.Public).Q.GetEncoded(true);
            byte[] secret = KeyAgreement.DeriveEcdh((ECPrivateKeyParameters)ephemeral.Private, _recipient)
                ?? throw new KmsException(KmsErrorCodes.Validation, "The public key is not a usable ECDH key (the agreement gave the point at infinity).", "PublicKey");
            byte[] fixedInfo = FixedInfo(sender, _compressedRecipient, materials.EncryptionContext);
            byte[] salt = Randomness.Bytes(SaltLength);
            byte[] keying = DeriveKeyingMaterial(secret, fixedInfo, salt);
            byte[] wrappingKey = keying.Skip(CommitKeyLength).ToArray();
            try
            {
                byte[] dataKey = materials.PlaintextDataKey;
                var ciphertext = new byte[SaltLength + CommitKeyLength + dataKey.Length + TagLength];
                Buffer.BlockCopy(salt, 0, ciphertext, 0, SaltLength);
                Buffer.BlockCopy(keying, 0, ciphertext, SaltLength, CommitKeyLength);
                AesGcmCipher.Encrypt(wrappingKey, new byte[AlgorithmSuite.IvLength], fixedInfo, dataKey, ciphertext, SaltLength + CommitKeyLength);
                materials.Add(new EncryptedDataKey(ProviderId, ProviderInfo(_compressedRecipient, sender), ciphertext));
            }
            finally
            {
                SecureBytes.Clear(secret);
                SecureBytes.Clear(keying);
                SecureBytes.Clear(wrappingKey);
            }
        }

        public byte[] OnDecrypt(AlgorithmSuite suite, IReadOnlyDictionary<string, string> encryptionContext, IReadOnlyList<EncryptedDataKey> keys,
            IList<string> failures, CancellationToken cancellationToken)
        {
            if (_privateKey == null) return null;
            foreach (EncryptedDataKey key in keys.Where(k => k.ProviderId == ProviderId || k.ProviderId == KmsEcdhProviderId))
            {
                if (!TryReadProviderInfo(key.ProviderInfo, out byte[] recipient, out byte[] sender) || !recipient.SequenceEqual(_compressedRecipient))
                    continue; // another recipient's, or not this keyring version's: not ours to try
                byte[] dataKey = Unwrap(suite, encryptionContext, key.Ciphertext, recipient, sender, out string failure);
                if (dataKey != null) return dataKey;
                failures.Add($"{Description}: {failure}");
            }
            return null;
        }

        private byte[] Unwrap(AlgorithmSuite suite, IReadOnlyDictionary<string, string> encryptionContext, byte[] ciphertext,
            byte[] recipient, byte[] sender, out string failure)
        {
            if (ciphertext.Length != SaltLength + CommitKeyLength + suite.KeyLength + TagLength)
            {
                failure = $"the encrypted data key is {ciphertext.Length} bytes, not the {SaltLength + CommitKeyLength + suite.KeyLength + TagLength} of salt, commitment key, {suite.KeyLength}-byte key and tag.";
                return null;
            }
            ECPublicKeyParameters senderKey;
            try
            {
                senderKey = new ECPublicKeyParameters(_recipient.Parameters.Curve.DecodePoint(sender), _recipient.Parameters);
            }
            catch (ArgumentException)
            {
                failure = "the sender's public key in the encrypted data key is not a point of this curve.";
                return null;
            }
            byte[] secret = KeyAgreement.DeriveEcdh(_privateKey, senderKey);
            if (secret == null)
            {
                failure = "the sender's public key in the encrypted data key gives no shared secret with this private key.";
                return null;
            }
            byte[] fixedInfo = FixedInfo(sender, recipient, encryptionContext);
            byte[] keying = DeriveKeyingMaterial(secret, fixedInfo, ciphertext.Take(SaltLength).ToArray());
            byte[] wrappingKey = keying.Skip(CommitKeyLength).ToArray();
            try
            {
                if (!MessageKeys.SameCommitKey(keying.Take(CommitKeyLength).ToArray(), ciphertext.Skip(SaltLength).Take(CommitKeyLength).ToArray()))
                {
                    failure = "the commitment key does not match: the data key was not wrapped for this private key and this encryption context.";
                    return null;
                }
                var dataKey = new byte[suite.KeyLength];
                if (AesGcmCipher.TryDecrypt(wrappingKey, new byte[AlgorithmSuite.IvLength], fixedInfo, ciphertext, SaltLength + CommitKeyLength,
                        suite.KeyLength + TagLength, dataKey))
                {
                    failure = null;
                    return dataKey;
                }
                SecureBytes.Clear(dataKey);
                failure = "the wrapped data key does not authenticate (AES-GCM).";
                return null;
            }
            finally
            {
                SecureBytes.Clear(secret);
                SecureBytes.Clear(keying);
                SecureBytes.Clear(wrappingKey);
            }
        }

        private static string CurveName(ECPublicKeyParameters key)
        {
            if (key.Parameters is ECNamedDomainParameters named && Curves.TryGetValue(named.Name, out string name)) return name;
            throw new KmsException(KmsErrorCodes.Validation,
                "The ESDK's raw ECDH keyring covers the NIST curves P-256, P-384 and P-521 only (data key pairs ECC_NIST_P256, ECC_NIST_P384, ECC_NIST_P521); this key is on another curve. Use one of those, an RSA pair, or -KeyId.", "PublicKey");
        }

        private byte[] FixedInfo(byte[] sender, byte[] recipient, IReadOnlyDictionary<string, string> encryptionContext)
        {
            byte[] context = MessageFormat.SerializeContext(encryptionContext as IDictionary<string, string> ?? encryptionContext.ToDictionary(p => p.Key, p => p.Value));
            using (var stream = new MemoryStream())
            {
                stream.Write(KdfLabel, 0, KdfLabel.Length);
                stream.WriteByte(0);
                stream.Write(_curveName, 0, _curveName.Length);
                stream.WriteByte(0);
                stream.Write(PrfName, 0, PrfName.Length);
                stream.WriteByte(0);
                stream.Write(sender, 0, sender.Length);
                stream.Write(recipient, 0, recipient.Length);
                stream.WriteByte(0);
                stream.WriteByte(KeyringVersion);
                stream.WriteByte(0);
                stream.Write(context, 0, context.Length);
                return stream.ToArray();
            }
        }

        /// <summary>NIST SP 800-108 KDF in counter mode, HMAC-SHA384, 512 bits: the Material Providers Library's KdfCounterMode.</summary>
        private static byte[] DeriveKeyingMaterial(byte[] secret, byte[] fixedInfo, byte[] salt)
        {
            const int length = 64;
            var input = new byte[4 + fixedInfo.Length + 1 + salt.Length + 4];
            Buffer.BlockCopy(fixedInfo, 0, input, 4, fixedInfo.Length);
            Buffer.BlockCopy(salt, 0, input, 4 + fixedInfo.Length + 1, salt.Length);
            MessageFormat.PutUInt32(input, input.Length - 4, length * 8);
            var output = new byte[length];
            using (var hmac = new HMACSHA384(secret))
            {
                for (int counter = 1, written = 0; written < length; counter++)
                {
                    MessageFormat.PutUInt32(input, 0, (uint)counter);
                    byte[] block = hmac.ComputeHash(input);
                    int take = Math.Min(block.Length, length - written);
                    Buffer.BlockCopy(block, 0, output, written, take);
                    SecureBytes.Clear(block);
                    written += take;
                }
            }
            return output;
        }

        private static byte[] ProviderInfo(byte[] recipient, byte[] sender)
        {
            var info = new byte[1 + 4 + recipient.Length + 4 + sender.Length];
            info[0] = KeyringVersion;
            MessageFormat.PutUInt32(info, 1, (uint)recipient.Length);
            Buffer.BlockCopy(recipient, 0, info, 5, recipient.Length);
            MessageFormat.PutUInt32(info, 5 + recipient.Length, (uint)sender.Length);
            Buffer.BlockCopy(sender, 0, info, 9 + recipient.Length, sender.Length);
            return info;
        }

        private static bool TryReadProviderInfo(byte[] info, out byte[] recipient, out byte[] sender)
        {
            recipient = sender = null;
            if (info.Length < 9 || info[0] != KeyringVersion) return false;
            uint recipientLength = MessageFormat.GetUInt32(info, 1);
            if (recipientLength > info.Length - 9) return false;
            uint senderLength = MessageFormat.GetUInt32(info, 5 + (int)recipientLength);
            if (senderLength != info.Length - 9 - recipientLength) return false;
            recipient = info.Skip(5).Take((int)recipientLength).ToArray();
            sender = info.Skip(9 + (int)recipientLength).ToArray();
            return true;
        }
    }
}
