using System.Collections.Generic;
using KmsTools.Model;

namespace KmsTools.Local
{
    /// <summary>Which usages each KMS KeySpec allows and which algorithms KeyMetadata lists for it (KMS developer guide).</summary>
    internal static class KeyAlgorithms
    {
        public static IList<string> UsagesOf(string spec)
        {
            switch (spec)
            {
                case KeySpec.SYMMETRIC_DEFAULT: return new[] { KeyUsageType.ENCRYPT_DECRYPT };
                case "RSA_2048": case "RSA_3072": case "RSA_4096": return new[] { KeyUsageType.ENCRYPT_DECRYPT, KeyUsageType.SIGN_VERIFY };
                case "ECC_NIST_P256": case "ECC_NIST_P384": case "ECC_NIST_P521": return new[] { KeyUsageType.SIGN_VERIFY, KeyUsageType.KEY_AGREEMENT };
                case "ECC_SECG_P256K1": case "ECC_NIST_EDWARDS25519": return new[] { KeyUsageType.SIGN_VERIFY };
                case "ML_DSA_44": case "ML_DSA_65": case "ML_DSA_87": return new[] { KeyUsageType.SIGN_VERIFY };
                case "SM2": return new[] { KeyUsageType.ENCRYPT_DECRYPT, KeyUsageType.SIGN_VERIFY, KeyUsageType.KEY_AGREEMENT };
                default: return KeySpec.IsHmac(spec) ? new[] { KeyUsageType.GENERATE_VERIFY_MAC } : new string[0];
            }
        }

        public static int HmacKeyLength(string spec) => int.Parse(spec.Substring("HMAC_".Length)) / 8;

        public static List<string> EncryptionAlgorithms(string spec, string usage)
        {
            if (usage != KeyUsageType.ENCRYPT_DECRYPT) return null;
            if (spec == KeySpec.SYMMETRIC_DEFAULT) return new List<string> { "SYMMETRIC_DEFAULT" };
            if (spec == "SM2") return new List<string> { "SM2PKE" };
            return new List<string> { "RSAES_OAEP_SHA_1", "RSAES_OAEP_SHA_256" };
        }

        public static List<string> SigningAlgorithms(string spec, string usage)
        {
            if (usage != KeyUsageType.SIGN_VERIFY) return null;
            switch (spec)
            {
                case "ECC_NIST_P256": case "ECC_SECG_P256K1": return new List<string> { "ECDSA_SHA_256" };
                case "ECC_NIST_P384": return new List<string> { "ECDSA_SHA_384" };
                case "ECC_NIST_P521": return new List<string> { "ECDSA_SHA_512" };
                case "ECC_NIST_EDWARDS25519": return new List<string> { "ED25519_SHA_512", "ED25519_PH_SHA_512" };
                case "SM2": return new List<string> { "SM2DSA" };
                case "ML_DSA_44": case "ML_DSA_65": case "ML_DSA_87": return new List<string> { "ML_DSA_SHAKE_256" };
                default:
                    return new List<string>
                    {
                        "RSASSA_PSS_SHA_256", "RSASSA_PSS_SHA_384", "RSASSA_PSS_SHA_512",
                        "RSASSA_PKCS1_V1_5_SHA_256", "RSASSA_PKCS1_V1_5_SHA_384", "RSASSA_PKCS1_V1_5_SHA_512",
                    };
            }
        }

        public static List<string> MacAlgorithms(string spec) =>
            KeySpec.IsHmac(spec) ? new List<string> { "HMAC_SHA_" + spec.Substring("HMAC_".Length) } : null;
    }
}
