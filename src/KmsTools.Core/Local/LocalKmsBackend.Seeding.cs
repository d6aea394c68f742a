using System;
using System.Collections.Generic;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using KmsTools.Crypto;
using KmsTools.Local.Seeding;
using KmsTools.Model;

namespace KmsTools.Local
{
    /// <summary>What a seed did: the keys and aliases it created, and those that were there already, as the seed has them.</summary>
    public sealed class SeedImportResult
    {
        public string Region { get; internal set; }
        public List<string> KeysCreated { get; } = new List<string>();
        public List<string> KeysPresent { get; } = new List<string>();
        public List<string> AliasesCreated { get; } = new List<string>();
        public List<string> AliasesPresent { get; } = new List<string>();
    }

    public sealed partial class LocalKmsBackend
    {
        /// <summary>
        /// Creates the keys, key material and aliases of <paramref name="seed"/> that the store lacks. One that is there
        /// already with the same spec, usage and material is left as it is (seeding twice changes nothing); one that
        /// is there with anything else, or an alias that names another key, is an error naming it, found before
        /// anything is written. Material ids derive from the material, so every run of a seed gives the same ones.
        /// </summary>
        public SeedImportResult ImportSeed(KeyStoreSeed seed)
        {
            if (seed == null) throw new ArgumentNullException(nameof(seed));
            var result = new SeedImportResult { Region = Region };
            var creates = new List<SeedKey>();
            var seeded = new HashSet<string>(StringComparer.Ordinal);
            foreach (SeedKey key in seed.Keys)
            {
                if (!seeded.Add(key.KeyId)) throw Conflict(key.Source, $"the key {key.KeyId} is named twice in the seed");
                if (!KeyAlgorithms.UsagesOf(key.KeySpec).Contains(key.KeyUsage))
                    throw Conflict(key.Source, $"KeyUsage {key.KeyUsage} is not one of a {key.KeySpec} key ({string.Join(", ", KeyAlgorithms.UsagesOf(key.KeySpec))})");
                if (key.KeySpec == KeySpec.SM2 && !AwsRegion.SupportsSm2(Region))
                    throw Conflict(key.Source, $"SM2 keys exist only in China Regions (cn-north-1, cn-northwest-1), not in {Region}");
                KeyRecord existing = _store.TryReadKey(key.KeyId);
                if (existing == null) { creates.Add(key); continue; }
                if (existing.KeySpec != key.KeySpec || existing.KeyUsage != key.KeyUsage || !SameMaterial(existing, key))
                    throw Conflict(key.Source, $"the store has a key {key.KeyId} with other {(existing.KeySpec != key.KeySpec || existing.KeyUsage != key.KeyUsage ? $"spec or usage ({existing.KeySpec}, {existing.KeyUsage})" : "key material")}; remove it from the seed or give the seed's key another id");
                result.KeysPresent.Add(key.KeyId);
            }
            var aliasCreates = new List<SeedAlias>();
            var aliasNames = new HashSet<string>(StringComparer.Ordinal);
            foreach (SeedAlias alias in seed.Aliases)
            {
                try
                {
                    ValidateAliasName(alias.AliasName);
                }
                catch (KmsException e)
                {
                    throw Conflict(alias.Source, e.Message.TrimEnd('.'));
                }
                if (!aliasNames.Add(alias.AliasName)) throw Conflict(alias.Source, $"the alias {alias.AliasName} is named twice in the seed");
                if (!seeded.Contains(alias.TargetKeyId) && _store.TryReadKey(alias.TargetKeyId) == null)
                    throw Conflict(alias.Source, $"its TargetKeyId {alias.TargetKeyId} is a key neither of the seed nor of the store");
                AliasRecord existing = _store.TryReadAlias(alias.AliasName);
                if (existing == null) { aliasCreates.Add(alias); continue; }
                if (existing.TargetKeyId != alias.TargetKeyId)
                    throw Conflict(alias.Source, $"the store's {alias.AliasName} names the key {existing.TargetKeyId}, not {alias.TargetKeyId}");
                result.AliasesPresent.Add(alias.AliasName);
            }

            DateTime now = DateTime.UtcNow;
            foreach (SeedKey key in creates)
            {
                List<string> ids = key.Materials.Select(MaterialIdOf).ToList();
                var record = new KeyRecord
                {
                    KeyId = key.KeyId, CreationDate = now, Description = key.Description, KeySpec = key.KeySpec, KeyUsage = key.KeyUsage,
                    KeyState = KeyState.Enabled, PublicKey = key.PublicKey,
                };
                if (key.KeySpec == KeySpec.SYMMETRIC_DEFAULT)
                {
                    record.CurrentKeyMaterialId = ids[ids.Count - 1];
                    // Backing keys after the first are the rotations that made them current, oldest first.
                    for (int i = 1; i < ids.Count; i++) record.Rotations.Add(new RotationRecord { KeyMaterialId = ids[i], RotationDate = now, RotationType = "ON_DEMAND" });
                    if (key.NextKeyRotation != null)
                    {
                        record.KeyRotationEnabled = true;
                        record.RotationPeriodInDays = 365;
                        record.NextRotationDate = key.NextKeyRotation;
                    }
                }
                _store.CreateKey(record, ids.Select((id, i) => new KeyValuePair<string, byte[]>(id, key.Materials[i])).ToList());
                result.KeysCreated.Add(key.KeyId);
            }
            foreach (SeedAlias alias in aliasCreates)
            {
                if (!_store.TryCreateAlias(new AliasRecord { AliasName = alias.AliasName, TargetKeyId = alias.TargetKeyId, CreationDate = now, LastUpdatedDate = now }))
                    throw Conflict(alias.Source, $"{alias.AliasName} was created by someone else while the seed was imported");
                result.AliasesCreated.Add(alias.AliasName);
            }
            return result;
        }

        /// <summary>The store's key has exactly the seed's material: the same ids (they derive from the material) and the same bytes.</summary>
        private bool SameMaterial(KeyRecord existing, SeedKey key)
        {
            if (key.KeySpec != KeySpec.SYMMETRIC_DEFAULT)
                return existing.PublicKey != null && existing.PublicKey.SequenceEqual(key.PublicKey);
            List<string> ids = key.Materials.Select(MaterialIdOf).ToList();
            if (existing.CurrentKeyMaterialId != ids[ids.Count - 1]) return false;
            for (int i = 0; i < ids.Count; i++)
            {
                byte[] material;
                try { material = _store.ReadKeyMaterial(existing.KeyId, ids[i]); }
                catch (KmsException) { return false; }
                bool same = material != null && material.SequenceEqual(key.Materials[i]);
                SecureBytes.Clear(material);
                if (!same) return false;
            }
            return true;
        }

        /// <summary>A key material id (64 hex digits, as KMS's) that derives from the material, so that seeding is repeatable; it reveals nothing of a 256-bit key.</summary>
        private static string MaterialIdOf(byte[] material)
        {
            byte[] label = Encoding.ASCII.GetBytes("KmsTools seed key material id\n");
            var input = new byte[label.Length + material.Length];
            Buffer.BlockCopy(label, 0, input, 0, label.Length);
            Buffer.BlockCopy(material, 0, input, label.Length, material.Length);
            try
            {
                using (SHA256 sha = SHA256.Create()) return Hex.ToLower(sha.ComputeHash(input));
            }
            finally
            {
                SecureBytes.Clear(input);
            }
        }

        private static KmsException Conflict(string source, string why) =>
            new KmsException(KmsErrorCodes.Validation, $"The seed cannot be imported: {source}: {why}. Nothing was imported.", "Seed");
    }
}
