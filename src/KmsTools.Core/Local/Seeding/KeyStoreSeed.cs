using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using KmsTools.Crypto;
using KmsTools.Model;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Pkcs;
using Org.BouncyCastle.Asn1.Sec;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Asn1.X9;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace KmsTools.Local.Seeding
{
    /// <summary>One key a seed names: its id, what it is, and its key material (oldest first for AES keys: the last is current).</summary>
    public sealed class SeedKey
    {
        public string KeyId { get; internal set; }
        public string Description { get; internal set; }
        public string KeySpec { get; internal set; }
        public string KeyUsage { get; internal set; }
        public DateTime? NextKeyRotation { get; internal set; }

        /// <summary>Where in the file it is, for errors ("Keys.Symmetric.Aes[1]").</summary>
        public string Source { get; internal set; }

        internal List<byte[]> Materials { get; } = new List<byte[]>();
        internal byte[] PublicKey { get; set; }
    }

    public sealed class SeedAlias
    {
        public string AliasName { get; internal set; }
        public string TargetKeyId { get; internal set; }
        public string Source { get; internal set; }
    }

    /// <summary>
    /// The keys, key material and aliases a test suite wants on every run, with fixed ids: local-kms's seed format
    /// (nsmithuk/local-kms README: Keys.Symmetric.Aes with BackingKeys as the rotation history, Keys.Asymmetric.Rsa
    /// and .Ecc with PrivateKeyPem, Aliases), read from YAML or the same content as JSON (JSON is YAML too). A
    /// file that cannot be read this way is a ValidationException that says where and why; nothing is imported.
    /// </summary>
    public sealed class KeyStoreSeed : IDisposable
    {
        private KeyStoreSeed() { }

        /// <summary>Zeroes the key material read from the file (AES keys, PKCS#8 private keys) once it is imported.</summary>
        public void Dispose()
        {
            foreach (SeedKey key in Keys)
                foreach (byte[] material in key.Materials) SecureBytes.Clear(material);
        }

        public List<SeedKey> Keys { get; } = new List<SeedKey>();
        public List<SeedAlias> Aliases { get; } = new List<SeedAlias>();

        public static KeyStoreSeed Read(string path)
        {
            if (!File.Exists(path))
                throw new KmsException(KmsErrorCodes.Validation, $"The seed file '{path}' does not exist.", "Seed");
            return Parse(File.ReadAllText(path), Path.GetFileName(path));
        }

        public static KeyStoreSeed Parse(string text, string name)
        {
            var yaml = new YamlStream();
            try
            {
                yaml.Load(new StringReader(text));
            }
            catch (YamlException e)
            {
                throw Fail(name, $"it is not YAML or JSON: {e.Message}");
            }
            var seed = new KeyStoreSeed();
            try
            {
                if (yaml.Documents.Count == 0) return seed;
                if (!(yaml.Documents[0].RootNode is YamlMappingNode root)) throw Fail(name, "the top level must be a mapping with Keys and Aliases");
                foreach (KeyValuePair<YamlNode, YamlNode> section in root.Children)
                {
                    switch (Scalar(section.Key))
                    {
                        case "Keys": seed.ReadKeys(Map(section.Value, name, "Keys"), name); break;
                        case "Aliases":
                            int i = 0;
                            foreach (YamlNode item in Sequence(section.Value, name, "Aliases"))
                            {
                                string at = $"Aliases[{i++}]";
                                YamlMappingNode alias = Map(item, name, at);
                                seed.Aliases.Add(new SeedAlias { AliasName = Required(alias, "AliasName", name, at), TargetKeyId = Required(alias, "TargetKeyId", name, at), Source = at });
                            }
                            break;
                        default: throw Fail(name, $"'{Scalar(section.Key)}' is not a section of a seed file (Keys, Aliases)");
                    }
                }
            }
            catch
            {
                // Key material read before the error is zeroed: nothing of a refused seed stays behind.
                seed.Dispose();
                throw;
            }
            return seed;
        }

        private void ReadKeys(YamlMappingNode keys, string name)
        {
            foreach (KeyValuePair<YamlNode, YamlNode> kind in keys.Children)
            {
                string kindName = Scalar(kind.Key);
                if (kindName != "Symmetric" && kindName != "Asymmetric") throw Fail(name, $"Keys.{kindName} is not a kind of key (Symmetric, Asymmetric)");
                foreach (KeyValuePair<YamlNode, YamlNode> family in Map(kind.Value, name, "Keys." + kindName).Children)
                {
                    string familyName = Scalar(family.Key);
                    string path = $"Keys.{kindName}.{familyName}";
                    bool symmetric = kindName == "Symmetric";
                    if (symmetric ? familyName != "Aes" : familyName != "Rsa" && familyName != "Ecc")
                        throw Fail(name, $"{path} is not a key family ({(symmetric ? "Aes" : "Rsa, Ecc")})");
                    int i = 0;
                    foreach (YamlNode item in Sequence(family.Value, name, path))
                    {
                        string at = $"{path}[{i++}]";
                        YamlMappingNode entry = Map(item, name, at);
                        // In the seed before its material is read, so that a later error zeroes that too (Parse disposes).
                        SeedKey key = Metadata(entry, name, at);
                        Keys.Add(key);
                        if (symmetric) ReadAes(key, entry, name, at);
                        else ReadAsymmetric(key, entry, familyName, name, at);
                    }
                }
            }
        }

        private static void ReadAes(SeedKey key, YamlMappingNode entry, string name, string at)
        {
            key.KeySpec = KeySpec.SYMMETRIC_DEFAULT;
            key.KeyUsage = Optional(Map(entry.Children[new YamlScalarNode("Metadata")], name, at + ".Metadata"), "KeyUsage") ?? KeyUsageType.ENCRYPT_DECRYPT;
            if (!entry.Children.TryGetValue(new YamlScalarNode("BackingKeys"), out YamlNode backing))
                throw Fail(name, $"{at} has no BackingKeys: an AES key needs one or more (hex, 32 bytes each; openssl rand -hex 32 makes one)");
            int i = 0;
            foreach (YamlNode hex in Sequence(backing, name, at + ".BackingKeys"))
            {
                string value = Scalar(hex) ?? string.Empty;
                if (value.Length != 64 || !value.All(Uri.IsHexDigit))
                    throw Fail(name, $"{at}.BackingKeys[{i}] is not 64 hex digits (a 256-bit key)");
                var material = new byte[32];
                Hex.Decode(value.ToLowerInvariant(), material, 0, 32);
                key.Materials.Add(material);
                i++;
            }
            if (key.Materials.Count == 0) throw Fail(name, $"{at}.BackingKeys is empty: an AES key needs one or more");
            if (entry.Children.TryGetValue(new YamlScalarNode("NextKeyRotation"), out YamlNode next))
            {
                if (!DateTime.TryParse(Scalar(next), CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out DateTime date))
                    throw Fail(name, $"{at}.NextKeyRotation '{Scalar(next)}' is not an ISO 8601 date");
                key.NextKeyRotation = date;
            }
        }

        private static void ReadAsymmetric(SeedKey key, YamlMappingNode entry, string family, string name, string at)
        {
            string pem = Required(entry, "PrivateKeyPem", name, at);
            byte[] pkcs8 = Pem.Decode("PRIVATE KEY", pem);
            if (pkcs8 == null)
            {
                // local-kms's own examples use SEC1 ("EC PRIVATE KEY") for ECC keys: wrap it as PKCS#8, keeping its named curve.
                byte[] sec1 = Pem.Decode("EC PRIVATE KEY", pem) ?? throw Fail(name, $"{at}.PrivateKeyPem holds no PEM block 'PRIVATE KEY' (PKCS#8) or 'EC PRIVATE KEY'");
                try
                {
                    ECPrivateKeyStructure structure = ECPrivateKeyStructure.GetInstance(Asn1Object.FromByteArray(sec1));
                    Asn1Encodable curve = structure.Parameters ?? throw Fail(name, $"{at}.PrivateKeyPem names no curve");
                    pkcs8 = new PrivateKeyInfo(new AlgorithmIdentifier(X9ObjectIdentifiers.IdECPublicKey, curve), structure).GetDerEncoded();
                }
                catch (Exception e) when (!(e is KmsException))
                {
                    throw Fail(name, $"{at}.PrivateKeyPem is not an EC private key: {e.Message}");
                }
                finally
                {
                    SecureBytes.Clear(sec1);
                }
            }
            key.Materials.Add(pkcs8);
            try
            {
                key.PublicKey = KeyPairGenerator.PublicKeyInfoOf(pkcs8);
                key.KeySpec = KeyPairGenerator.SpecOf(pkcs8);
            }
            catch (Exception e) when (!(e is KmsException))
            {
                throw Fail(name, $"{at}.PrivateKeyPem is not a private key KMS has: {e.Message}");
            }
            if ((family == "Rsa") != key.KeySpec.StartsWith("RSA_", StringComparison.Ordinal))
                throw Fail(name, $"{at} is a {key.KeySpec} key, which does not belong under Keys.Asymmetric.{family}");
            key.KeyUsage = Optional(Map(entry.Children[new YamlScalarNode("Metadata")], name, at + ".Metadata"), "KeyUsage") ?? KeyUsageType.SIGN_VERIFY;
        }

        private static SeedKey Metadata(YamlMappingNode entry, string name, string at)
        {
            if (!entry.Children.TryGetValue(new YamlScalarNode("Metadata"), out YamlNode node))
                throw Fail(name, $"{at} has no Metadata (with its KeyId)");
            YamlMappingNode metadata = Map(node, name, at + ".Metadata");
            string origin = Optional(metadata, "Origin");
            if (origin != null && origin != "AWS_KMS")
                throw Fail(name, $"{at}.Metadata.Origin {origin}: the local engine has no imported key material yet (keys of origin AWS_KMS only)");
            string keyId = Required(metadata, "KeyId", name, at + ".Metadata");
            if (!Guid.TryParseExact(keyId, "D", out _) || keyId != keyId.ToLowerInvariant())
                throw Fail(name, $"{at}.Metadata.KeyId '{keyId}' is not a key id (a lowercase UUID such as 1234abcd-12ab-34cd-56ef-1234567890ab)");
            return new SeedKey { KeyId = keyId, Description = Optional(metadata, "Description") ?? string.Empty, Source = at };
        }

        private static string Scalar(YamlNode node) => (node as YamlScalarNode)?.Value;

        private static YamlMappingNode Map(YamlNode node, string name, string at) =>
            node as YamlMappingNode ?? throw Fail(name, $"{at} must be a mapping");

        private static IEnumerable<YamlNode> Sequence(YamlNode node, string name, string at) =>
            node as YamlSequenceNode ?? throw Fail(name, $"{at} must be a list");

        private static string Optional(YamlMappingNode map, string member) =>
            map.Children.TryGetValue(new YamlScalarNode(member), out YamlNode value) ? Scalar(value) : null;

        private static string Required(YamlMappingNode map, string member, string name, string at) =>
            Optional(map, member) is string value && value.Length > 0 ? value : throw Fail(name, $"{at} has no {member}");

        private static KmsException Fail(string name, string why) =>
            new KmsException(KmsErrorCodes.Validation, $"The seed file {name} cannot be imported: {why}. Nothing was imported.", "Seed");
    }
}
