using System;
using System.Collections.Generic;
using System.Linq;
using KmsTools.Crypto;

namespace KmsTools.Local
{
    /// <summary>
    /// A grant as the store keeps it, inside its key's metadata file: so a grant is created, retired and revoked under
    /// the key's lock (multi-process safe as every key change is) and goes when its key goes.
    /// </summary>
    internal sealed class GrantRecord
    {
        public string GrantId { get; set; }
        public string Name { get; set; }
        public DateTime CreationDate { get; set; }
        public string GranteePrincipal { get; set; }
        public string RetiringPrincipal { get; set; }
        public string IssuingAccount { get; set; }
        public List<string> Operations { get; set; } = new List<string>();
        public Dictionary<string, string> EncryptionContextEquals { get; set; }
        public Dictionary<string, string> EncryptionContextSubset { get; set; }

        /// <summary>Whether a retry of CreateGrant with this name would make this very grant (AWS's idempotence rule).</summary>
        public bool SameAs(GrantRecord other) =>
            Name == other.Name && GranteePrincipal == other.GranteePrincipal && RetiringPrincipal == other.RetiringPrincipal
            && Operations.SequenceEqual(other.Operations)
            && SameContext(EncryptionContextEquals, other.EncryptionContextEquals) && SameContext(EncryptionContextSubset, other.EncryptionContextSubset);

        private static bool SameContext(Dictionary<string, string> a, Dictionary<string, string> b) =>
            (a == null || a.Count == 0) ? (b == null || b.Count == 0) : b != null && a.Count == b.Count && Contains(b, a);

        /// <summary>Every pair of <paramref name="pairs"/> is in <paramref name="context"/>, key and value compared exactly.</summary>
        private static bool Contains(IDictionary<string, string> context, IDictionary<string, string> pairs) =>
            pairs.All(pair => context.TryGetValue(pair.Key, out string value) && value == pair.Value);

        /// <summary>
        /// Whether a request's encryption context meets the grant's constraints: Equals needs the very same pairs,
        /// Subset needs its pairs among the request's (keys and values compared exactly, as KMS does).
        /// </summary>
        public bool Admits(IDictionary<string, string> context)
        {
            context = context ?? new Dictionary<string, string>();
            if (EncryptionContextEquals != null && !(context.Count == EncryptionContextEquals.Count && Contains(context, EncryptionContextEquals)))
                return false;
            return EncryptionContextSubset == null || Contains(context, EncryptionContextSubset);
        }
    }

    /// <summary>
    /// The grant tokens of the local engine: base64 of "kmstools-grant/1:&lt;key id&gt;:&lt;grant id&gt;:&lt;64 random hex&gt;", so
    /// that each CreateGrant answers a token of its own (as AWS does) that names its grant, and RetireGrant can find
    /// the grant from the token alone. A token confers nothing by itself: the engine is consistent at once, so a token
    /// only has to be well formed, and the grant it names is looked up in the store like any other.
    /// </summary>
    internal static class GrantToken
    {
        private const string Prefix = "kmstools-grant/1";
        private static readonly System.Text.RegularExpressions.Regex Hex64 =
            new System.Text.RegularExpressions.Regex("^[0-9a-f]{64}$", System.Text.RegularExpressions.RegexOptions.CultureInvariant);

        public static string Create(string keyId, string grantId) =>
            Convert.ToBase64String(System.Text.Encoding.ASCII.GetBytes($"{Prefix}:{keyId}:{grantId}:{Hex.ToLower(Randomness.Bytes(32))}"));

        /// <summary>The key id and grant id a token names; InvalidGrantTokenException when it is not one of this engine's tokens.</summary>
        public static (string KeyId, string GrantId) Parse(string token, string member = "GrantTokens")
        {
            string[] parts = null;
            try
            {
                if (token != null && token.Length <= 512) parts = System.Text.Encoding.ASCII.GetString(Convert.FromBase64String(token)).Split(':');
            }
            catch (FormatException)
            {
            }
            if (parts == null || parts.Length != 4 || parts[0] != Prefix || !KeyIdentifier.IsKeyId(parts[1]) || !Hex64.IsMatch(parts[2]) || !Hex64.IsMatch(parts[3]))
                throw new KmsException(KmsErrorCodes.InvalidGrantToken,
                    "The grant token is not valid: it is not a token that CreateGrant returned. Pass the GrantToken of a CreateGrant response (New-KmsGrant) unchanged.", member);
            return (parts[1], parts[2]);
        }
    }
}
