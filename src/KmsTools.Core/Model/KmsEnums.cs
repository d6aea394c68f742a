using System.Collections.Generic;

namespace KmsTools.Model
{
    /// <summary>DataKeyPairSpec, in the API model's order.</summary>
    public static class DataKeyPairSpec
    {
        public const string RSA_2048 = "RSA_2048";
        public const string RSA_3072 = "RSA_3072";
        public const string RSA_4096 = "RSA_4096";
        public const string ECC_NIST_P256 = "ECC_NIST_P256";
        public const string ECC_NIST_P384 = "ECC_NIST_P384";
        public const string ECC_NIST_P521 = "ECC_NIST_P521";
        public const string ECC_SECG_P256K1 = "ECC_SECG_P256K1";
        public const string SM2 = "SM2";
        public const string ECC_NIST_EDWARDS25519 = "ECC_NIST_EDWARDS25519";

        public static readonly IReadOnlyList<string> Values = new[]
        {
            RSA_2048, RSA_3072, RSA_4096, ECC_NIST_P256, ECC_NIST_P384, ECC_NIST_P521,
            ECC_SECG_P256K1, SM2, ECC_NIST_EDWARDS25519,
        };
    }

    /// <summary>KeySpec of a KMS key (CreateKey), in the API model's order.</summary>
    public static class KeySpec
    {
        public const string SYMMETRIC_DEFAULT = "SYMMETRIC_DEFAULT";

        public static readonly IReadOnlyList<string> Values = new[]
        {
            "RSA_2048", "RSA_3072", "RSA_4096", "ECC_NIST_P256", "ECC_NIST_P384", "ECC_NIST_P521",
            "ECC_SECG_P256K1", SYMMETRIC_DEFAULT, "HMAC_224", "HMAC_256", "HMAC_384", "HMAC_512", "SM2",
            "ECC_NIST_EDWARDS25519",
        };

        public static bool IsHmac(string spec) => spec != null && spec.StartsWith("HMAC_");
    }

    /// <summary>KeyUsage of a KMS key.</summary>
    public static class KeyUsage
    {
        public const string ENCRYPT_DECRYPT = "ENCRYPT_DECRYPT";
        public const string SIGN_VERIFY = "SIGN_VERIFY";
        public const string GENERATE_VERIFY_MAC = "GENERATE_VERIFY_MAC";
        public const string KEY_AGREEMENT = "KEY_AGREEMENT";

        public static readonly IReadOnlyList<string> Values = new[] { SIGN_VERIFY, ENCRYPT_DECRYPT, GENERATE_VERIFY_MAC, KEY_AGREEMENT };
    }

    /// <summary>KeyState of a KMS key.</summary>
    public static class KeyState
    {
        public const string Creating = "Creating";
        public const string Enabled = "Enabled";
        public const string Disabled = "Disabled";
        public const string PendingDeletion = "PendingDeletion";
        public const string PendingImport = "PendingImport";
        public const string PendingReplicaDeletion = "PendingReplicaDeletion";
        public const string Unavailable = "Unavailable";
        public const string Updating = "Updating";
    }

    public static class EncryptionAlgorithmSpec
    {
        public const string SYMMETRIC_DEFAULT = "SYMMETRIC_DEFAULT";
        public static readonly IReadOnlyList<string> Values = new[] { SYMMETRIC_DEFAULT, "RSAES_OAEP_SHA_1", "RSAES_OAEP_SHA_256", "SM2PKE" };
    }
}
