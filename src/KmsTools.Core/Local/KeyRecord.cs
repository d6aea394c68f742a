using System;
using System.Collections.Generic;
using KmsTools.Model;

namespace KmsTools.Local
{
    /// <summary>
    /// A KMS key's metadata as the store keeps it (keys/&lt;key-id&gt;.json). It holds no secret:
    /// key material lives in a separate file (<see cref="KeyMaterialFile"/>) that only crypto operations read.
    /// </summary>
    internal sealed class RotationRecord
    {
        public string KeyMaterialId { get; set; }
        public DateTime RotationDate { get; set; }
        public string RotationType { get; set; }
    }

    /// <summary>The last successful cryptographic use of a key (keys/&lt;key-id&gt;.usage), as GetKeyLastUsage reports it.</summary>
    internal sealed class KeyUsageRecord
    {
        public string Operation { get; set; }
        public DateTime Timestamp { get; set; }
        public string KmsRequestId { get; set; }
        public DateTime TrackingStartDate { get; set; }
    }

    internal sealed class ImportParametersRecord
    {
        public string TokenId { get; set; }
        public string WrappingAlgorithm { get; set; }
        public string WrappingKeySpec { get; set; }
        public DateTime ValidTo { get; set; }
    }

    internal sealed class KeyRecord
    {
        public int FormatVersion { get; set; } = 1;
        public string KeyId { get; set; }
        public DateTime CreationDate { get; set; }
        public string Description { get; set; } = string.Empty;
        public string KeySpec { get; set; }
        public string KeyUsage { get; set; }
        public string KeyState { get; set; }
        public DateTime? DeletionDate { get; set; }
        public int? PendingDeletionWindowInDays { get; set; }
        public string Origin { get; set; } = "AWS_KMS";
        public string CurrentKeyMaterialId { get; set; }

        /// <summary>DER SubjectPublicKeyInfo of an asymmetric KMS key (public, so kept with the metadata).</summary>
        public byte[] PublicKey { get; set; }

        public List<Tag> Tags { get; set; } = new List<Tag>();

        /// <summary>The key policy as PutKeyPolicy or CreateKey gave it, verbatim; null for AWS's default policy.</summary>
        public string Policy { get; set; }

        public List<GrantRecord> Grants { get; set; } = new List<GrantRecord>();

        /// <summary>When the engine began tracking this key's last use: its creation, for keys made since it does.</summary>
        public DateTime? UsageTrackingStart { get; set; }

        /// <summary>A multi-Region key: the region of its primary and those of its replicas, kept alike on every member.</summary>
        public bool MultiRegion { get; set; }
        public string PrimaryRegion { get; set; }
        public List<string> ReplicaRegions { get; set; } = new List<string>();

        /// <summary>An imported key's material: when it expires (KEY_MATERIAL_EXPIRES), or null.</summary>
        public string ExpirationModel { get; set; }
        public DateTime? ValidTo { get; set; }

        /// <summary>
        /// The id of an imported HMAC or asymmetric key's material in its .key file, which also holds the wrapping keys
        /// of GetParametersForImport; null for material the engine made (the file's one entry).
        /// </summary>
        public string ImportedMaterialId { get; set; }

        /// <summary>The import parameters given out and not expired: each names a wrapping private key in the .key file.</summary>
        public List<ImportParametersRecord> ImportParameters { get; set; } = new List<ImportParametersRecord>();

        /// <summary>A copy to change without changing the store's cached record (the lists are shared, so replace them, do not edit).</summary>
        public KeyRecord Clone() => (KeyRecord)MemberwiseClone();

        public bool KeyRotationEnabled { get; set; }
        public int? RotationPeriodInDays { get; set; }
        public DateTime? NextRotationDate { get; set; }

        /// <summary>Completed rotations, oldest first; the key's first material is not a rotation.</summary>
        public List<RotationRecord> Rotations { get; set; } = new List<RotationRecord>();

        public bool IsSymmetricEncryption =>
            KeySpec == Model.KeySpec.SYMMETRIC_DEFAULT && KeyUsage == Model.KeyUsageType.ENCRYPT_DECRYPT;
    }
}
