using System;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Digests;
using Org.BouncyCastle.Crypto.Encodings;
using Org.BouncyCastle.Crypto.Engines;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Math;
using Org.BouncyCastle.Security;

namespace KmsTools.Crypto
{
    /// <summary>
    /// Encryption with an asymmetric KMS key, as KMS does it: RSAES-OAEP (RFC 8017) with SHA-1 or SHA-256 and MGF1 with
    /// the same hash, no label; or SM2PKE (GB/T 32918.4, SM3), whose ciphertext is the DER SEQUENCE of GM/T 0009 (x, y,
    /// the SM3 hash, the ciphertext), as openssl writes and reads it. The ciphertext is the raw algorithm output, as
    /// AWS returns it, so that anyone with the public key (openssl pkeyutl, .NET, any library) can make ciphertexts the
    /// KMS key decrypts.
    /// </summary>
    public static class AsymmetricCipher
    {
        /// <summary>The largest plaintext, in bytes, for an algorithm and RSA key spec (k - 2hLen - 2).</summary>
        public static int MaxPlaintext(string encryptionAlgorithm, string keySpec)
        {
            if (encryptionAlgorithm == Sm2Pke) return 1024; // AWS's limit for SM2PKE
            int modulusBytes = int.Parse(keySpec.Substring("RSA_".Length)) / 8;
            int hashBytes = encryptionAlgorithm == "RSAES_OAEP_SHA_1" ? 20 : 32;
            return modulusBytes - 2 * hashBytes - 2;
        }

        private const string Sm2Pke = "SM2PKE";
        private const int Sm3Length = 32;

        public static byte[] Encrypt(string encryptionAlgorithm, AsymmetricKeyParameter publicKey, byte[] plaintext)
        {
            if (encryptionAlgorithm == Sm2Pke) return Sm2Encrypt((ECPublicKeyParameters)publicKey, plaintext);
            IAsymmetricBlockCipher cipher = Oaep(encryptionAlgorithm);
            cipher.Init(true, new ParametersWithRandom(publicKey, new SecureRandom()));
            return cipher.ProcessBlock(plaintext, 0, plaintext.Length);
        }

        /// <summary>The plaintext, or null when the ciphertext is not one this key and algorithm made.</summary>
        public static byte[] Decrypt(string encryptionAlgorithm, AsymmetricKeyParameter privateKey, byte[] ciphertext)
        {
            if (encryptionAlgorithm == Sm2Pke) return Sm2Decrypt((ECPrivateKeyParameters)privateKey, ciphertext);
            IAsymmetricBlockCipher cipher = Oaep(encryptionAlgorithm);
            cipher.Init(false, privateKey);
            try
            {
                return cipher.ProcessBlock(ciphertext, 0, ciphertext.Length);
            }
            catch (Exception e) when (e is InvalidCipherTextException || e is DataLengthException || e is ArgumentException)
            {
                return null;
            }
        }

        /// <summary>SM2 encryption: BouncyCastle's C1C3C2 output (04 || x || y, SM3 hash, ciphertext) re-encoded as GM/T 0009 DER.</summary>
        private static byte[] Sm2Encrypt(ECPublicKeyParameters publicKey, byte[] plaintext)
        {
            var engine = new SM2Engine(SM2Engine.Mode.C1C3C2);
            engine.Init(true, new ParametersWithRandom(publicKey, new SecureRandom()));
            byte[] raw = engine.ProcessBlock(plaintext, 0, plaintext.Length);
            int field = (publicKey.Parameters.Curve.FieldSize + 7) / 8;
            var x = new BigInteger(1, raw, 1, field);
            var y = new BigInteger(1, raw, 1 + field, field);
            int at = 1 + 2 * field;
            return new DerSequence(
                new DerInteger(x), new DerInteger(y),
                new DerOctetString(Slice(raw, at, Sm3Length)),
                new DerOctetString(Slice(raw, at + Sm3Length, raw.Length - at - Sm3Length))).GetDerEncoded();
        }

        /// <summary>The plaintext of a GM/T 0009 DER SM2 ciphertext, or null when it is not one this key made.</summary>
        private static byte[] Sm2Decrypt(ECPrivateKeyParameters privateKey, byte[] ciphertext)
        {
            byte[] raw;
            try
            {
                var sequence = Asn1Sequence.GetInstance(Asn1Object.FromByteArray(ciphertext));
                if (sequence.Count != 4) return null;
                int field = (privateKey.Parameters.Curve.FieldSize + 7) / 8;
                byte[] x = DerInteger.GetInstance(sequence[0]).PositiveValue.ToByteArrayUnsigned();
                byte[] y = DerInteger.GetInstance(sequence[1]).PositiveValue.ToByteArrayUnsigned();
                byte[] hash = Asn1OctetString.GetInstance(sequence[2]).GetOctets();
                byte[] body = Asn1OctetString.GetInstance(sequence[3]).GetOctets();
                if (x.Length > field || y.Length > field || hash.Length != Sm3Length) return null;
                raw = new byte[1 + 2 * field + Sm3Length + body.Length];
                raw[0] = 0x04;
                Array.Copy(x, 0, raw, 1 + field - x.Length, x.Length);
                Array.Copy(y, 0, raw, 1 + 2 * field - y.Length, y.Length);
                Array.Copy(hash, 0, raw, 1 + 2 * field, Sm3Length);
                Array.Copy(body, 0, raw, 1 + 2 * field + Sm3Length, body.Length);
            }
            catch (Exception e) when (e is ArgumentException || e is InvalidCastException || e is System.IO.IOException || e is InvalidOperationException)
            {
                return null;
            }
            var engine = new SM2Engine(SM2Engine.Mode.C1C3C2);
            engine.Init(false, privateKey);
            try
            {
                return engine.ProcessBlock(raw, 0, raw.Length);
            }
            catch (Exception e) when (e is InvalidCipherTextException || e is ArgumentException || e is InvalidOperationException)
            {
                return null;
            }
        }

        private static byte[] Slice(byte[] source, int offset, int count)
        {
            var slice = new byte[count];
            Array.Copy(source, offset, slice, 0, count);
            return slice;
        }

        private static IAsymmetricBlockCipher Oaep(string encryptionAlgorithm)
        {
            switch (encryptionAlgorithm)
            {
                case "RSAES_OAEP_SHA_1": return new OaepEncoding(new RsaBlindedEngine(), new Sha1Digest(), new Sha1Digest(), null);
                case "RSAES_OAEP_SHA_256": return new OaepEncoding(new RsaBlindedEngine(), new Sha256Digest(), new Sha256Digest(), null);
                default: throw new ArgumentException("Not an RSA encryption algorithm: " + encryptionAlgorithm, nameof(encryptionAlgorithm));
            }
        }
    }
}
