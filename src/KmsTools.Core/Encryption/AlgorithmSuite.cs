using System;
using System.Collections.Generic;
using System.Linq;

namespace KmsTools.Encryption
{
    /// <summary>
    /// An algorithm suite of the AWS Encryption SDK message format (aws-encryption-sdk-specification,
    /// framework/algorithm-suites.md): every suite is AES-GCM with a 12-byte IV and a 16-byte tag; they differ in the
    /// data key length, the key derivation (none, HKDF-SHA256/384, or HKDF-SHA512 with key commitment), the message
    /// format version and the ECDSA footer signature.
    /// </summary>
    public sealed class AlgorithmSuite
    {
        public const int IvLength = 12;
        public const int TagLength = 16;

        private AlgorithmSuite(ushort id, string name, int version, int keyBytes, string kdfHash, bool commits, string signatureCurve)
        {
            Id = id;
            Name = name;
            MessageFormatVersion = version;
            KeyLength = keyBytes;
            KdfHash = kdfHash;
            IsCommitting = commits;
            SignatureCurve = signatureCurve;
        }

        /// <summary>The two-byte suite id, as it appears in the header (0x0578).</summary>
        public ushort Id { get; }

        /// <summary>The suite's ESDK name (ALG_AES_256_GCM_HKDF_SHA512_COMMIT_KEY_ECDSA_P384).</summary>
        public string Name { get; }

        /// <summary>1 or 2: committing suites are written in message format version 2, the others in version 1.</summary>
        public int MessageFormatVersion { get; }

        /// <summary>The data key and the encryption key length, in bytes (16, 24 or 32).</summary>
        public int KeyLength { get; }

        /// <summary>The HKDF hash (SHA256, SHA384, SHA512), or null for the identity KDF (the data key encrypts).</summary>
        public string KdfHash { get; }

        /// <summary>Whether the header carries a commitment to the data key (the 32-byte algorithm suite data).</summary>
        public bool IsCommitting { get; }

        /// <summary>P-256 or P-384 when messages end with an ECDSA signature (SHA-256 or SHA-384), else null.</summary>
        public string SignatureCurve { get; }

        public bool IsSigned => SignatureCurve != null;

        /// <summary>The length of the algorithm suite data in a version 2 header: the commit key.</summary>
        public int SuiteDataLength => IsCommitting ? 32 : 0;

        /// <summary>The suite id as four hex digits, as the ESDK's documents write it (0578).</summary>
        public string IdHex => Id.ToString("X4");

        public override string ToString() => Name;

        /// <summary>The default, as in every ESDK since 2.0: key commitment and an ECDSA P-384 signature.</summary>
        public static AlgorithmSuite Default => ById[0x0578];

        /// <summary>Every ESDK suite, newest first.</summary>
        public static IReadOnlyList<AlgorithmSuite> All { get; } = new[]
        {
            new AlgorithmSuite(0x0578, "ALG_AES_256_GCM_HKDF_SHA512_COMMIT_KEY_ECDSA_P384", 2, 32, "SHA512", true, "P-384"),
            new AlgorithmSuite(0x0478, "ALG_AES_256_GCM_HKDF_SHA512_COMMIT_KEY", 2, 32, "SHA512", true, null),
            new AlgorithmSuite(0x0378, "ALG_AES_256_GCM_IV12_TAG16_HKDF_SHA384_ECDSA_P384", 1, 32, "SHA384", false, "P-384"),
            new AlgorithmSuite(0x0346, "ALG_AES_192_GCM_IV12_TAG16_HKDF_SHA384_ECDSA_P384", 1, 24, "SHA384", false, "P-384"),
            new AlgorithmSuite(0x0214, "ALG_AES_128_GCM_IV12_TAG16_HKDF_SHA256_ECDSA_P256", 1, 16, "SHA256", false, "P-256"),
            new AlgorithmSuite(0x0178, "ALG_AES_256_GCM_IV12_TAG16_HKDF_SHA256", 1, 32, "SHA256", false, null),
            new AlgorithmSuite(0x0146, "ALG_AES_192_GCM_IV12_TAG16_HKDF_SHA256", 1, 24, "SHA256", false, null),
            new AlgorithmSuite(0x0114, "ALG_AES_128_GCM_IV12_TAG16_HKDF_SHA256", 1, 16, "SHA256", false, null),
            new AlgorithmSuite(0x0078, "ALG_AES_256_GCM_IV12_TAG16_NO_KDF", 1, 32, null, false, null),
            new AlgorithmSuite(0x0046, "ALG_AES_192_GCM_IV12_TAG16_NO_KDF", 1, 24, null, false, null),
            new AlgorithmSuite(0x0014, "ALG_AES_128_GCM_IV12_TAG16_NO_KDF", 1, 16, null, false, null),
        };

        public static IReadOnlyDictionary<ushort, AlgorithmSuite> ById { get; } = All.ToDictionary(s => s.Id);

        /// <summary>
        /// A suite by its ESDK name or its id in hex (0578, 0x0578); null when there is none. Names are compared without
        /// regard to case, and the ESDK-JS spelling without underscores between words and digits (ALG_AES256_GCM_...) is
        /// taken too.
        /// </summary>
        public static AlgorithmSuite Find(string nameOrId)
        {
            if (string.IsNullOrWhiteSpace(nameOrId)) return null;
            string text = nameOrId.Trim();
            string hex = text.StartsWith("0x", StringComparison.OrdinalIgnoreCase) ? text.Substring(2) : text;
            if (hex.Length == 4 && ushort.TryParse(hex, System.Globalization.NumberStyles.HexNumber, null, out ushort id))
                return ById.TryGetValue(id, out AlgorithmSuite byId) ? byId : null;
            string squeezed = Squeeze(text);
            return All.FirstOrDefault(s => Squeeze(s.Name) == squeezed);
        }

        private static string Squeeze(string name) => name.Replace("_", string.Empty).ToUpperInvariant();
    }
}
