using System;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Agreement;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Security;

namespace KmsTools.Crypto
{
    /// <summary>
    /// ECDH as KMS's DeriveSharedSecret does it (NIST SP 800-56A, the cofactor method on the NIST curves and on SM2's
    /// curve, whose cofactor is 1 too): the shared secret is the x-coordinate of the shared point, as many bytes as the field, which is what openssl pkeyutl
    /// -derive and .NET's ECDiffieHellman DeriveRawSecretAgreement return for the same keys.
    /// </summary>
    public static class KeyAgreement
    {
        /// <summary>The shared secret, or null when the peer's key is not a valid public key on the private key's curve.</summary>
        public static byte[] DeriveEcdh(AsymmetricKeyParameter privateKey, byte[] peerPublicKeyInfo)
        {
            var own = (ECPrivateKeyParameters)privateKey;
            ECPublicKeyParameters peer;
            try
            {
                peer = PublicKeyFactory.CreateKey(peerPublicKeyInfo) as ECPublicKeyParameters;
            }
            catch (Exception e) when (e is ArgumentException || e is InvalidOperationException || e is System.IO.IOException || e is FormatException || e is InvalidCastException)
            {
                return null;
            }
            // Another curve, or a point off this one: the agreement would be meaningless (or leak bits of the key).
            if (peer == null || !peer.Parameters.Curve.Equals(own.Parameters.Curve) || !peer.Parameters.G.Equals(own.Parameters.G)) return null;
            return DeriveEcdh(own, peer);
        }

        /// <summary>The shared secret of a private key and a peer's public key on its curve, or null for the point at infinity.</summary>
        public static byte[] DeriveEcdh(ECPrivateKeyParameters own, ECPublicKeyParameters peer)
        {
            var agreement = new ECDHCBasicAgreement();
            agreement.Init(own);
            try
            {
                return agreement.CalculateAgreement(peer).ToByteArrayUnsigned().PadLeft(agreement.GetFieldSize());
            }
            catch (InvalidOperationException)
            {
                return null; // the point at infinity
            }
        }

        private static byte[] PadLeft(this byte[] value, int length)
        {
            if (value.Length == length) return value;
            var padded = new byte[length];
            Buffer.BlockCopy(value, 0, padded, length - value.Length, value.Length);
            SecureBytes.Clear(value);
            return padded;
        }
    }
}
