using System;
using System.Collections.Generic;

namespace KmsTools.Model
{
    /// <summary>KeyMetadata, as DescribeKey and CreateKey return it; member names are the API model's.</summary>
    public sealed class KeyMetadata
    {
        public string AWSAccountId { get; set; }
        public string KeyId { get; set; }
        public string Arn { get; set; }
        public DateTime CreationDate { get; set; }
        public bool Enabled { get; set; }
        public string Description { get; set; }
        public string KeyUsage { get; set; }
        public string KeyState { get; set; }
        public DateTime? DeletionDate { get; set; }
        public int? PendingDeletionWindowInDays { get; set; }
        public string Origin { get; set; }
        public string KeyManager { get; set; }
        public string CustomerMasterKeySpec { get; set; }
        public string KeySpec { get; set; }
        public List<string> EncryptionAlgorithms { get; set; }
        public List<string> SigningAlgorithms { get; set; }
        public List<string> MacAlgorithms { get; set; }
        public List<string> KeyAgreementAlgorithms { get; set; }
        public bool MultiRegion { get; set; }
        public string CurrentKeyMaterialId { get; set; }

        public override string ToString() => Arn ?? KeyId ?? base.ToString();
    }

    public sealed class KeyListEntry
    {
        public string KeyId { get; set; }
        public string KeyArn { get; set; }
        public override string ToString() => KeyArn ?? KeyId;
    }

    public sealed class AliasListEntry
    {
        public string AliasName { get; set; }
        public string AliasArn { get; set; }
        public string TargetKeyId { get; set; }
        public DateTime? CreationDate { get; set; }
        public DateTime? LastUpdatedDate { get; set; }
        public override string ToString() => AliasName;
    }

    public sealed class Tag
    {
        public string TagKey { get; set; }
        public string TagValue { get; set; }
    }
}
