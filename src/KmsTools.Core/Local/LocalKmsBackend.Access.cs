using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;
using System.Threading;
using KmsTools.Model;

namespace KmsTools.Local
{
    // Who may use a key: its key policy (GetKeyPolicy, PutKeyPolicy, ListKeyPolicies) and its grants (CreateGrant,
    // ListGrants, ListRetirableGrants, RetireGrant, RevokeGrant). Both live in the key's metadata file, so they change
    // under the key's lock like every key change, and go with the key.
    public sealed partial class LocalKmsBackend
    {
        /// <summary>AWS's quotas: grants per KMS key, and grants of one grantee principal on one key.</summary>
        internal const int GrantsPerKey = 50000;
        internal const int GrantsPerPrincipalPerKey = 500;

        private static readonly Regex GrantNamePattern = new Regex("^[a-zA-Z0-9:/_-]+$", RegexOptions.CultureInvariant);
        private static readonly Regex PrincipalPattern = new Regex(@"^[\w+=,.@:/-]+$", RegexOptions.CultureInvariant);
        private static readonly Regex PolicyNamePattern = new Regex(@"^\w+$", RegexOptions.CultureInvariant);

        /// <summary>
        /// The principal requests come from: $env:KMSTOOLS_CALLER_PRINCIPAL (or the server's mapping of an access key),
        /// else the account's root, as for a caller with every IAM permission.
        /// </summary>
        internal string CallerPrincipal => _caller ?? (_caller = Options.CallerPrincipal ?? $"arn:{_partition}:iam::{Options.AccountId}:root");

        private string _caller;
        private string _callerAccount;

        /// <summary>The caller's account: for the default policy's fast path, which every request of a key without a policy takes.</summary>
        private string CallerAccount => _callerAccount ?? (_callerAccount = KeyPolicy.AccountOf(CallerPrincipal));

        /// <summary>
        /// Whether the caller may call <paramref name="operation"/> on the key: its key policy allows it (an explicit deny
        /// wins), or a grant for the caller allows it and the request's encryption context meets the grant's
        /// constraints. Otherwise AccessDeniedException, in AWS's words. Called once the key is known and before any
        /// work or DryRun's answer, as AWS checks permissions before DryRun.
        /// </summary>
        internal void Authorize(KeyRecord key, string operation, IDictionary<string, string> context = null, string grantOperation = null)
        {
            string caller = CallerPrincipal;
            string callerAccount = CallerAccount;
            // The default policy lets every principal of the account do everything: no evaluation needed.
            if (key.Policy == null && callerAccount == Options.AccountId) return;
            string arn = ArnOf(key.KeyId);
            var request = new PolicyRequest { Principal = caller, Account = callerAccount, Action = "kms:" + operation, Resource = arn, EncryptionContext = context };
            PolicyDecision decision = KeyPolicy.Cached(PolicyOf(key)).Evaluate(request);
            if (decision == PolicyDecision.Allow) return;
            if (decision == PolicyDecision.ExplicitDeny)
                throw new KmsException(KmsErrorCodes.AccessDenied,
                    $"User: {caller} is not authorized to perform: kms:{operation} on resource: {arn} with an explicit deny in a resource-based policy", "KeyId");
            string granted = grantOperation ?? operation;
            if (key.Grants.Any(g => g.Operations.Contains(granted) && KeyPolicy.Names(g.GranteePrincipal, request) && g.Admits(context)))
                return;
            throw new KmsException(KmsErrorCodes.AccessDenied,
                $"User: {caller} is not authorized to perform: kms:{operation} on resource: {arn} because no resource-based policy allows the kms:{operation} action", "KeyId");
        }

        internal string PolicyOf(KeyRecord key) => key.Policy ?? KeyPolicy.Default(_partition, Options.AccountId);

        public GetKeyPolicyResponse GetKeyPolicy(GetKeyPolicyRequest request, CancellationToken cancellationToken = default)
        {
            Require(request);
            ValidateKeyId("KeyId", request.KeyId);
            string name = PolicyName(request.PolicyName);
            KeyRecord key = ResolveKeyNotAlias(request.KeyId);
            Authorize(key, "GetKeyPolicy");
            if (name != KeyPolicy.DefaultName) throw NoSuchPolicy(name);
            return new GetKeyPolicyResponse { Policy = PolicyOf(key), PolicyName = KeyPolicy.DefaultName };
        }

        public PutKeyPolicyResponse PutKeyPolicy(PutKeyPolicyRequest request, CancellationToken cancellationToken = default)
        {
            Require(request);
            ValidateKeyId("KeyId", request.KeyId);
            string name = PolicyName(request.PolicyName);
            Validation.Required("Policy", request.Policy);
            KeyPolicy policy = KeyPolicy.Validate("Policy", request.Policy);
            KeyRecord current = ResolveKeyNotAlias(request.KeyId);
            Authorize(current, "PutKeyPolicy");
            string keyId = current.KeyId;
            if (name != KeyPolicy.DefaultName)
                throw new KmsException(KmsErrorCodes.UnsupportedOperation,
                    $"A KMS key has one key policy, named \"default\"; '{name}' is not it. Omit PolicyName or give \"default\".", "PolicyName");
            RequireLockoutSafe(policy, ArnOf(keyId), request.BypassPolicyLockoutSafetyCheck);
            Update(keyId, key =>
            {
                RequireNotPendingDeletion(key);
                key.Policy = request.Policy;
                return 0;
            });
            return new PutKeyPolicyResponse();
        }

        public ListKeyPoliciesResponse ListKeyPolicies(ListKeyPoliciesRequest request, CancellationToken cancellationToken = default)
        {
            Require(request);
            ValidateKeyId("KeyId", request.KeyId);
            int limit = request.Limit ?? 100;
            Validation.Range("Limit", limit, 1, 1000);
            if (request.Marker != null) Validation.Length("Marker", request.Marker, 1, 1024);
            KeyRecord key = ResolveKeyNotAlias(request.KeyId);
            Authorize(key, "ListKeyPolicies");
            return Page(new[] { KeyPolicy.DefaultName }, request.Marker, limit, n => n,
                (names, next, truncated) => new ListKeyPoliciesResponse { PolicyNames = names, NextMarker = next, Truncated = truncated });
        }

        public CreateGrantResponse CreateGrant(CreateGrantRequest request, CancellationToken cancellationToken = default)
        {
            Require(request);
            ValidateKeyId("KeyId", request.KeyId);
            ValidatePrincipal("GranteePrincipal", request.GranteePrincipal);
            if (request.RetiringPrincipal != null) ValidatePrincipal("RetiringPrincipal", request.RetiringPrincipal);
            Validation.Required("Operations", request.Operations);
            if (request.Operations.Count == 0)
                throw Validation.Error("Operations", "Member must have length greater than or equal to 1", "[]");
            List<string> operations = request.Operations.Select((o, i) => Validation.OneOf("Operations", o, GrantOperation.Values)).Distinct().ToList();
            if (request.Name != null)
            {
                Validation.Length("Name", request.Name, 1, 256);
                if (!GrantNamePattern.IsMatch(request.Name))
                    throw Validation.Error("Name", "Member must satisfy regular expression pattern: ^[a-zA-Z0-9:/_-]+$", request.Name);
            }
            ValidateGrantTokens(request.GrantTokens);
            var grant = new GrantRecord
            {
                Name = request.Name,
                GranteePrincipal = request.GranteePrincipal,
                RetiringPrincipal = request.RetiringPrincipal,
                IssuingAccount = $"arn:{_partition}:iam::{Options.AccountId}:root",
                Operations = operations,
                EncryptionContextEquals = ConstraintOf(request.Constraints?.EncryptionContextEquals, "EncryptionContextEquals"),
                EncryptionContextSubset = ConstraintOf(request.Constraints?.EncryptionContextSubset, "EncryptionContextSubset"),
            };
            KeyRecord current = ResolveKeyNotAlias(request.KeyId);
            // Checked before the key's lock is taken too, so that a refused request writes nothing, not even a lock file.
            Authorize(current, "CreateGrant");
            RequireNotPendingDeletion(current);
            RequireGrantable(current, grant);
            return Update(current.KeyId, key =>
            {
                RequireNotPendingDeletion(key);
                RequireGrantable(key, grant);
                ThrowIfDryRun(request.DryRun);
                GrantRecord same = request.Name == null ? null : key.Grants.FirstOrDefault(g => g.SameAs(grant));
                if (same == null)
                {
                    if (key.Grants.Count >= GrantsPerKey)
                        throw new KmsException(KmsErrorCodes.LimitExceeded,
                            $"{ArnOf(key.KeyId)} has {GrantsPerKey} grants, the most a KMS key can have. Retire or revoke grants it no longer needs (Get-KmsGrant, Revoke-KmsGrant).", "KeyId");
                    if (key.Grants.Count(g => g.GranteePrincipal == grant.GranteePrincipal) >= GrantsPerPrincipalPerKey)
                        throw new KmsException(KmsErrorCodes.LimitExceeded,
                            $"{grant.GranteePrincipal} has {GrantsPerPrincipalPerKey} grants on {ArnOf(key.KeyId)}, the most one principal can have on a KMS key. Retire or revoke some first.", "GranteePrincipal");
                    grant.GrantId = NewKeyMaterialId();
                    grant.CreationDate = DateTime.UtcNow;
                    key.Grants.Add(grant);
                    same = grant;
                }
                return new CreateGrantResponse { GrantId = same.GrantId, GrantToken = GrantToken.Create(key.KeyId, same.GrantId) };
            });
        }

        public ListGrantsResponse ListGrants(ListGrantsRequest request, CancellationToken cancellationToken = default)
        {
            Require(request);
            ValidateKeyId("KeyId", request.KeyId);
            int limit = request.Limit ?? 50;
            Validation.Range("Limit", limit, 1, 100);
            if (request.GrantId != null) Validation.Length("GrantId", request.GrantId, 1, 128);
            if (request.GranteePrincipal != null) ValidatePrincipal("GranteePrincipal", request.GranteePrincipal);
            KeyRecord key = ResolveKeyNotAlias(request.KeyId);
            Authorize(key, "ListGrants");
            IEnumerable<GrantRecord> grants = key.Grants;
            if (request.GrantId != null)
            {
                grants = grants.Where(g => g.GrantId == request.GrantId);
                if (!grants.Any()) throw GrantNotFound(request.GrantId, key.KeyId);
            }
            if (request.GranteePrincipal != null) grants = grants.Where(g => g.GranteePrincipal == request.GranteePrincipal);
            return Page(grants.ToList(), request.Marker, limit, g => EntryOf(key.KeyId, g),
                (entries, next, truncated) => new ListGrantsResponse { Grants = entries, NextMarker = next, Truncated = truncated });
        }

        public ListGrantsResponse ListRetirableGrants(ListRetirableGrantsRequest request, CancellationToken cancellationToken = default)
        {
            Require(request);
            ValidatePrincipal("RetiringPrincipal", request.RetiringPrincipal);
            int limit = request.Limit ?? 50;
            Validation.Range("Limit", limit, 1, 100);
            var grants = new List<GrantListEntry>();
            foreach (string keyId in _store.ListKeyIds())
            {
                KeyRecord key;
                try
                {
                    key = LoadKey(keyId);
                }
                catch (KmsException e) when (e.ErrorCode == KmsErrorCodes.KMSInternal)
                {
                    continue; // a damaged key is reported by DescribeKey; its grants cannot be read
                }
                if (key == null) continue;
                grants.AddRange(key.Grants.Where(g => g.RetiringPrincipal == request.RetiringPrincipal).Select(g => EntryOf(key.KeyId, g)));
            }
            return Page(grants, request.Marker, limit, g => g,
                (entries, next, truncated) => new ListGrantsResponse { Grants = entries, NextMarker = next, Truncated = truncated });
        }

        public RetireGrantResponse RetireGrant(RetireGrantRequest request, CancellationToken cancellationToken = default)
        {
            Require(request);
            string keyId, grantId;
            if (request.GrantToken != null)
            {
                Validation.Length("GrantToken", request.GrantToken, 1, 8192);
                (keyId, grantId) = GrantToken.Parse(request.GrantToken, "GrantToken");
                if (request.GrantId != null && request.GrantId != grantId)
                    throw new KmsException(KmsErrorCodes.InvalidGrantId,
                        $"The grant token names grant {grantId}, not {request.GrantId}. Give the token or the key id and grant id, not both.", "GrantId");
                if (request.KeyId != null)
                {
                    ValidateKeyId("KeyId", request.KeyId);
                    if (ResolveKeyNotAlias(request.KeyId).KeyId != keyId)
                        throw new KmsException(KmsErrorCodes.InvalidGrantToken, $"The grant token is for another key than {request.KeyId}.", "GrantToken");
                }
            }
            else
            {
                if (request.KeyId == null || request.GrantId == null)
                    throw new KmsException(KmsErrorCodes.Validation,
                        "Grant token OR (grant ID, key ID) must be specified: give -GrantToken, or -KeyId with -GrantId.", request.KeyId == null ? "KeyId" : "GrantId");
                ValidateKeyId("KeyId", request.KeyId);
                Validation.Length("GrantId", request.GrantId, 1, 128);
                keyId = ResolveKeyNotAlias(request.KeyId).KeyId;
                grantId = request.GrantId;
            }
            RequireMayRetire(keyId, grantId);
            RemoveGrant(keyId, grantId, request.DryRun);
            return new RetireGrantResponse();
        }

        public RevokeGrantResponse RevokeGrant(RevokeGrantRequest request, CancellationToken cancellationToken = default)
        {
            Require(request);
            ValidateKeyId("KeyId", request.KeyId);
            Validation.Length("GrantId", request.GrantId, 1, 128);
            KeyRecord key = ResolveKeyNotAlias(request.KeyId);
            Authorize(key, "RevokeGrant");
            RemoveGrant(key.KeyId, request.GrantId, request.DryRun);
            return new RevokeGrantResponse();
        }

        /// <summary>
        /// The GrantTokens of any request: at most 10, each one a token this engine's CreateGrant returned
        /// (InvalidGrantTokenException otherwise). A well-formed token of a grant since retired grants nothing, and is
        /// no error, as in AWS.
        /// </summary>
        internal static void ValidateGrantTokens(IList<string> tokens)
        {
            Validation.GrantTokens(tokens);
            if (tokens == null) return;
            foreach (string token in tokens) GrantToken.Parse(token);
        }

        // ---- helpers ------------------------------------------------------------------------------

        /// <summary>
        /// Who may retire a grant, as AWS says: its retiring principal, its grantee when the grant allows RetireGrant,
        /// or a caller the key policy allows kms:RetireGrant.
        /// </summary>
        private void RequireMayRetire(string keyId, string grantId)
        {
            KeyRecord key = LoadKey(keyId) ?? throw new KmsException(KmsErrorCodes.NotFound, $"Key '{ArnOf(keyId)}' does not exist", "KeyId");
            GrantRecord grant = key.Grants.FirstOrDefault(g => g.GrantId == grantId) ?? throw GrantNotFound(grantId, keyId);
            var caller = new PolicyRequest { Principal = CallerPrincipal, Account = KeyPolicy.AccountOf(CallerPrincipal) };
            if (grant.RetiringPrincipal != null && KeyPolicy.Names(grant.RetiringPrincipal, caller)) return;
            if (grant.Operations.Contains(GrantOperation.RetireGrant) && KeyPolicy.Names(grant.GranteePrincipal, caller)) return;
            Authorize(key, "RetireGrant");
        }

        private void RemoveGrant(string keyId, string grantId, bool? dryRun) =>
            Update(keyId, key =>
            {
                int index = key.Grants.FindIndex(g => g.GrantId == grantId);
                if (index < 0) throw GrantNotFound(grantId, keyId);
                ThrowIfDryRun(dryRun);
                key.Grants.RemoveAt(index);
                return 0;
            });

        private KmsException GrantNotFound(string grantId, string keyId) =>
            new KmsException(KmsErrorCodes.InvalidGrantId, $"Grant ID {grantId} is not valid for {ArnOf(keyId)}: the key has no such grant (Get-KmsGrant lists its grants).", "GrantId");

        private GrantListEntry EntryOf(string keyId, GrantRecord grant) => new GrantListEntry
        {
            KeyId = ArnOf(keyId),
            GrantId = grant.GrantId,
            Name = grant.Name,
            CreationDate = grant.CreationDate,
            GranteePrincipal = grant.GranteePrincipal,
            RetiringPrincipal = grant.RetiringPrincipal,
            IssuingAccount = grant.IssuingAccount,
            Operations = grant.Operations.ToList(),
            Constraints = grant.EncryptionContextEquals == null && grant.EncryptionContextSubset == null ? null : new GrantConstraints
            {
                EncryptionContextEquals = grant.EncryptionContextEquals == null ? null : new Dictionary<string, string>(grant.EncryptionContextEquals, StringComparer.Ordinal),
                EncryptionContextSubset = grant.EncryptionContextSubset == null ? null : new Dictionary<string, string>(grant.EncryptionContextSubset, StringComparer.Ordinal),
            },
        };

        /// <summary>The key id or key ARN a policy or grant operation takes; an alias is refused as AWS refuses it.</summary>
        private KeyRecord ResolveKeyNotAlias(string input, string member = "KeyId")
        {
            KeyIdentifier id = KeyIdentifier.Parse(input);
            if (id != null && id.IsAlias)
                throw id.IsArn
                    ? new KmsException(KmsErrorCodes.InvalidArn, "Key Aliases are not supported for this operation.", member)
                    : new KmsException(KmsErrorCodes.NotFound, $"Invalid keyId {input}", member);
            return ResolveKey(input, member);
        }

        /// <summary>Refuses a policy that would lock the caller out of the key (PutKeyPolicy denied to it), unless told to bypass the check.</summary>
        private void RequireLockoutSafe(KeyPolicy policy, string keyArn, bool? bypass)
        {
            if (bypass == true) return;
            var request = new PolicyRequest { Principal = CallerPrincipal, Account = Options.AccountId, Action = "kms:PutKeyPolicy", Resource = keyArn };
            if (policy.Evaluate(request) != PolicyDecision.Allow)
                throw KeyPolicy.Malformed("The new key policy will not allow you to update the key policy in the future.");
        }

        /// <summary>The operations a grant may allow depend on the key, as in AWS; a constraint needs a key whose operations take a context.</summary>
        private void RequireGrantable(KeyRecord key, GrantRecord grant)
        {
            var allowed = new HashSet<string>(StringComparer.Ordinal) { GrantOperation.DescribeKey, GrantOperation.CreateGrant, GrantOperation.RetireGrant };
            if (key.IsSymmetricEncryption)
                allowed.UnionWith(new[] { "Encrypt", "Decrypt", "GenerateDataKey", "GenerateDataKeyWithoutPlaintext", "GenerateDataKeyPair", "GenerateDataKeyPairWithoutPlaintext", "ReEncryptFrom", "ReEncryptTo" });
            else if (key.KeyUsage == KeyUsageType.ENCRYPT_DECRYPT)
                allowed.UnionWith(new[] { "Encrypt", "Decrypt", "ReEncryptFrom", "ReEncryptTo", "GetPublicKey" });
            else if (key.KeyUsage == KeyUsageType.SIGN_VERIFY)
                allowed.UnionWith(new[] { "Sign", "Verify", "GetPublicKey" });
            else if (key.KeyUsage == KeyUsageType.KEY_AGREEMENT)
                allowed.UnionWith(new[] { "DeriveSharedSecret", "GetPublicKey" });
            else if (key.KeyUsage == KeyUsageType.GENERATE_VERIFY_MAC)
                allowed.UnionWith(new[] { "GenerateMac", "VerifyMac" });
            string refused = grant.Operations.FirstOrDefault(o => !allowed.Contains(o));
            if (refused != null)
                throw new KmsException(KmsErrorCodes.Validation,
                    $"The grant operation {refused} is not valid for {ArnOf(key.KeyId)}, a {key.KeySpec} {key.KeyUsage} key. Its grants can allow: {string.Join(", ", GrantOperation.Values.Where(allowed.Contains))}.", "Operations");
            if ((grant.EncryptionContextEquals != null || grant.EncryptionContextSubset != null) && !key.IsSymmetricEncryption)
                throw new KmsException(KmsErrorCodes.Validation,
                    $"Encryption context grant constraints are for symmetric encryption KMS keys; {ArnOf(key.KeyId)} is a {key.KeySpec} key, whose operations take no encryption context.", "Constraints");
        }

        /// <summary>A grant constraint: at most 8 pairs, values at most 384 characters, as AWS documents.</summary>
        private static Dictionary<string, string> ConstraintOf(Dictionary<string, string> context, string name)
        {
            if (context == null) return null;
            if (context.Count > 8)
                throw new KmsException(KmsErrorCodes.Validation, $"The grant constraint {name} has {context.Count} pairs; a constraint can have at most 8.", "Constraints");
            foreach (KeyValuePair<string, string> pair in context)
                if ((pair.Value ?? string.Empty).Length > 384)
                    throw new KmsException(KmsErrorCodes.Validation, $"The value of '{pair.Key}' in the grant constraint {name} is longer than 384 characters.", "Constraints");
            return new Dictionary<string, string>(context, StringComparer.Ordinal);
        }

        private static void ValidatePrincipal(string member, string principal)
        {
            Validation.Length(member, principal, 1, 256);
            if (!PrincipalPattern.IsMatch(principal))
                throw Validation.Error(member, "Member must satisfy regular expression pattern: ^[\\w+=,.@:/-]+$", principal);
        }

        private static string PolicyName(string name)
        {
            if (name == null) return KeyPolicy.DefaultName;
            Validation.Length("PolicyName", name, 1, 128);
            if (!PolicyNamePattern.IsMatch(name))
                throw Validation.Error("PolicyName", "Member must satisfy regular expression pattern: [\\w]+", name);
            return name;
        }

        private static KmsException NoSuchPolicy(string name) =>
            new KmsException(KmsErrorCodes.NotFound, $"No such policy exists: a KMS key has one key policy, named \"default\", not '{name}'.", "PolicyName");
    }
}
