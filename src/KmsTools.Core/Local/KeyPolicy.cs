using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace KmsTools.Local
{
    /// <summary>What a key policy says of one request: deny wins over allow, and nothing said is a deny.</summary>
    internal enum PolicyDecision
    {
        ImplicitDeny,
        Allow,
        ExplicitDeny,
    }

    /// <summary>The request context a key policy statement is matched against, as IAM builds it for KMS.</summary>
    internal sealed class PolicyRequest
    {
        public string Principal { get; set; }
        public string Account { get; set; }

        /// <summary>"kms:Encrypt", "kms:PutKeyPolicy", ...</summary>
        public string Action { get; set; }

        public string Resource { get; set; }
        public IDictionary<string, string> EncryptionContext { get; set; }
        public IList<string> GrantOperations { get; set; }
        public string GranteePrincipal { get; set; }
        public string RetiringPrincipal { get; set; }

        /// <summary>The values of a condition key in this request; null when the request has no such key.</summary>
        internal IList<string> Values(string key)
        {
            const string contextPrefix = "kms:EncryptionContext:";
            if (key.StartsWith(contextPrefix, StringComparison.OrdinalIgnoreCase))
            {
                // Context keys are matched without regard to case, values with it, as KMS documents.
                string name = key.Substring(contextPrefix.Length);
                if (EncryptionContext == null) return null;
                foreach (KeyValuePair<string, string> pair in EncryptionContext)
                    if (string.Equals(pair.Key, name, StringComparison.OrdinalIgnoreCase)) return new[] { pair.Value };
                return null;
            }
            switch (key.ToLowerInvariant())
            {
                case "kms:encryptioncontextkeys": return EncryptionContext?.Keys.ToList();
                case "kms:grantoperations": return GrantOperations;
                case "kms:granteeprincipal": return GranteePrincipal == null ? null : new[] { GranteePrincipal };
                case "kms:retiringprincipal": return RetiringPrincipal == null ? null : new[] { RetiringPrincipal };
                case "kms:grantisforawsresource": return GrantOperations == null ? null : new[] { "false" };
                case "kms:calleraccount":
                case "aws:principalaccount": return new[] { Account };
                case "aws:principalarn": return new[] { Principal };
                default: return null;
            }
        }
    }

    /// <summary>
    /// A KMS key policy: the part of the IAM policy language key policies use (Effect, Principal/NotPrincipal,
    /// Action/NotAction with wildcards, Resource/NotResource, Condition with the string, Bool and Null operators and the
    /// ForAnyValue/ForAllValues set qualifiers), parsed once and evaluated per request. A statement naming the account
    /// (its id or its root ARN) as principal matches every caller of that account: there is no IAM here to delegate to,
    /// so the account is taken to allow what it delegates, as an account with permissive IAM policies does.
    /// </summary>
    internal sealed class KeyPolicy
    {
        public const string DefaultName = "default";

        /// <summary>AWS's quota for a key policy document, in bytes.</summary>
        public const int MaxBytes = 32768;

        private static readonly Regex AccountId = new Regex(@"^\d{12}$", RegexOptions.CultureInvariant);
        private static readonly Regex PrincipalArn = new Regex(@"^arn:aws[a-z-]*:(iam|sts)::(\d{12}):(root|user/.+|role/.+|assumed-role/.+|federated-user/.+)$", RegexOptions.CultureInvariant);
        private static readonly HashSet<string> Operators = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
        {
            "StringEquals", "StringNotEquals", "StringEqualsIgnoreCase", "StringNotEqualsIgnoreCase", "StringLike", "StringNotLike",
            "ArnEquals", "ArnNotEquals", "ArnLike", "ArnNotLike", "Bool", "Null",
        };

        private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, KeyPolicy> Parsed =
            new System.Collections.Concurrent.ConcurrentDictionary<string, KeyPolicy>(StringComparer.Ordinal);
        private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, Regex> Wildcards =
            new System.Collections.Concurrent.ConcurrentDictionary<string, Regex>(StringComparer.Ordinal);

        private readonly List<Statement> _statements;

        /// <summary>Whether a value names a caller: an IAM user, role, federated user, assumed-role session or account root ARN.</summary>
        public static bool IsCallerPrincipal(string value) => value != null && PrincipalArn.IsMatch(value);

        /// <summary>The account of a caller principal ARN.</summary>
        public static string AccountOf(string principal) => PrincipalArn.Match(principal).Groups[2].Value;

        /// <summary>A stored policy, parsed once per process: policies are evaluated on every request of a key that has one.</summary>
        public static KeyPolicy Cached(string text)
        {
            KeyPolicy policy = Parsed.GetOrAdd(text, t => Parse(t));
            if (Parsed.Count > 1000) Parsed.Clear(); // a bound, not a cache policy: a store has few distinct policies
            return policy;
        }

        /// <summary>Whether a principal named in a policy or a grant stands for the caller (see the class summary for accounts).</summary>
        public static bool Names(string principal, PolicyRequest request) => Statement.PrincipalMatches(principal, request);

        private KeyPolicy(List<Statement> statements) => _statements = statements;

        /// <summary>The policy AWS writes for a key created without one: the account may do everything (through IAM).</summary>
        public static string Default(string partition, string accountId) =>
            "{\n  \"Version\" : \"2012-10-17\",\n  \"Id\" : \"key-default-1\",\n  \"Statement\" : [ {\n" +
            "    \"Sid\" : \"Enable IAM User Permissions\",\n    \"Effect\" : \"Allow\",\n    \"Principal\" : {\n" +
            $"      \"AWS\" : \"arn:{partition}:iam::{accountId}:root\"\n    }},\n    \"Action\" : \"kms:*\",\n    \"Resource\" : \"*\"\n  }} ]\n}}";

        /// <summary>
        /// Checks a policy as PutKeyPolicy and CreateKey do: the model's character set and length, AWS's 32 KB quota
        /// (LimitExceededException), then the document (MalformedPolicyDocumentException). Returns it parsed.
        /// </summary>
        public static KeyPolicy Validate(string member, string text)
        {
            Validation.Length(member, text, 1, 131072);
            foreach (char c in text)
                if (!(c == '\t' || c == '\n' || c == '\r' || (c >= ' ' && c <= '\u00FF')))
                    throw Validation.Error(member, "Member must satisfy regular expression pattern: [\\u0009\\u000A\\u000D\\u0020-\\u00FF]+", sensitive: true);
            int bytes = Encoding.UTF8.GetByteCount(text);
            if (bytes > MaxBytes)
                throw new KmsException(KmsErrorCodes.LimitExceeded,
                    $"The key policy is {bytes} bytes; a key policy can be at most {MaxBytes} bytes (32 KB). Move statements into grants or IAM policies, or shorten the document.", member);
            return Parse(text, member);
        }

        /// <summary>Parses a policy already accepted (from the store): a damaged one is refused, as a new one would be.</summary>
        public static KeyPolicy Parse(string text, string member = "Policy")
        {
            JObject document;
            try
            {
                using (var reader = new JsonTextReader(new System.IO.StringReader(text)) { DateParseHandling = DateParseHandling.None })
                {
                    document = JToken.ReadFrom(reader, new JsonLoadSettings { DuplicatePropertyNameHandling = DuplicatePropertyNameHandling.Error }) as JObject;
                    reader.Read(); // text after the document is an error of the reader's, reported below

                }
            }
            catch (JsonException e)
            {
                throw Malformed($"The policy is not valid JSON: {e.Message}", member);
            }
            if (document == null) throw Malformed("The policy must be a JSON object.", member);
            foreach (JProperty property in document.Properties())
                if (!new[] { "Version", "Id", "Statement" }.Contains(property.Name, StringComparer.Ordinal))
                    throw Malformed($"The policy has an unknown element '{property.Name}'; a policy has Version, Id and Statement.", member);
            JToken version = document["Version"];
            if (version != null && !(version.Type == JTokenType.String && ((string)version == "2012-10-17" || (string)version == "2008-10-17")))
                throw Malformed("The policy's Version must be \"2012-10-17\" (or \"2008-10-17\").", member);
            JToken statementToken = document["Statement"];
            if (statementToken == null) throw Malformed("The policy has no Statement.", member);
            IEnumerable<JToken> items = statementToken is JArray array ? array : new[] { statementToken };
            var statements = new List<Statement>();
            var sids = new HashSet<string>(StringComparer.Ordinal);
            foreach (JToken item in items)
            {
                Statement statement = Statement.Read(item as JObject ?? throw Malformed("Each statement of the policy must be a JSON object.", member), member);
                if (statement.Sid != null && !sids.Add(statement.Sid))
                    throw Malformed($"Statement IDs (SID) in a single policy must be unique: '{statement.Sid}' is used twice.", member);
                statements.Add(statement);
            }
            if (statements.Count == 0) throw Malformed("The policy has no Statement.", member);
            return new KeyPolicy(statements);
        }

        public PolicyDecision Evaluate(PolicyRequest request)
        {
            bool allowed = false;
            foreach (Statement statement in _statements)
            {
                if (!statement.Applies(request)) continue;
                if (!statement.Allow) return PolicyDecision.ExplicitDeny;
                allowed = true;
            }
            return allowed ? PolicyDecision.Allow : PolicyDecision.ImplicitDeny;
        }

        internal static KmsException Malformed(string message, string member = "Policy") =>
            new KmsException(KmsErrorCodes.MalformedPolicyDocument, message, member);

        /// <summary>IAM's wildcards: * any run of characters, ? one character.</summary>
        internal static bool WildcardMatch(string pattern, string value, bool ignoreCase)
        {
            if (pattern == "*") return true;
            if (pattern.IndexOf('*') < 0 && pattern.IndexOf('?') < 0)
                return string.Equals(pattern, value, ignoreCase ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal);
            Regex regex = Wildcards.GetOrAdd((ignoreCase ? "i:" : "c:") + pattern, _ => new Regex(
                "^" + Regex.Escape(pattern).Replace("\\*", ".*").Replace("\\?", ".") + "$",
                RegexOptions.CultureInvariant | RegexOptions.Singleline | (ignoreCase ? RegexOptions.IgnoreCase : RegexOptions.None)));
            return regex.IsMatch(value ?? string.Empty);
        }

        private sealed class Statement
        {
            public string Sid;
            public bool Allow;
            public List<string> Principals;
            public bool NotPrincipal;
            public List<string> Actions;
            public bool NotAction;
            public List<string> Resources;
            public bool NotResource;
            public List<Condition> Conditions = new List<Condition>();

            public static Statement Read(JObject item, string member)
            {
                var statement = new Statement();
                foreach (JProperty property in item.Properties())
                    if (!new[] { "Sid", "Effect", "Principal", "NotPrincipal", "Action", "NotAction", "Resource", "NotResource", "Condition" }.Contains(property.Name, StringComparer.Ordinal))
                        throw Malformed($"A statement has an unknown element '{property.Name}'.", member);
                JToken sid = item["Sid"];
                if (sid != null)
                {
                    if (sid.Type != JTokenType.String) throw Malformed("A statement's Sid must be a string.", member);
                    statement.Sid = (string)sid;
                }
                string effect = item["Effect"]?.Type == JTokenType.String ? (string)item["Effect"] : null;
                if (effect != "Allow" && effect != "Deny")
                    throw Malformed($"{Name(statement)} needs an Effect of \"Allow\" or \"Deny\".", member);
                statement.Allow = effect == "Allow";

                JToken principal = item["Principal"] ?? item["NotPrincipal"];
                if (principal == null || item["Principal"] != null && item["NotPrincipal"] != null)
                    throw Malformed($"{Name(statement)} must name its principals in one Principal (or NotPrincipal) element: every statement of a key policy has principals.", member);
                statement.NotPrincipal = item["Principal"] == null;
                statement.Principals = ReadPrincipals(principal, statement, member);

                statement.Actions = ReadList(item, "Action", "NotAction", statement, member, out statement.NotAction);
                statement.Resources = ReadList(item, "Resource", "NotResource", statement, member, out statement.NotResource);

                if (item["Condition"] is JToken conditions)
                {
                    if (!(conditions is JObject byOperator)) throw Malformed($"{Name(statement)} has a Condition that is not an object.", member);
                    foreach (JProperty op in byOperator.Properties())
                        statement.Conditions.Add(Condition.Read(op, statement, member));
                }
                return statement;
            }

            private static string Name(Statement statement) => statement.Sid == null ? "A statement" : $"Statement '{statement.Sid}'";

            private static List<string> ReadPrincipals(JToken principal, Statement statement, string member)
            {
                if (principal.Type == JTokenType.String)
                {
                    if ((string)principal != "*") throw InvalidPrincipals(member);
                    return new List<string> { "*" };
                }
                if (!(principal is JObject byType) || !byType.HasValues) throw InvalidPrincipals(member);
                var principals = new List<string>();
                foreach (JProperty type in byType.Properties())
                {
                    List<string> values = Strings(type.Value) ?? throw InvalidPrincipals(member);
                    foreach (string value in values)
                    {
                        if (type.Name == "AWS")
                        {
                            if (value != "*" && !AccountId.IsMatch(value) && !PrincipalArn.IsMatch(value)) throw InvalidPrincipals(member);
                            principals.Add(value);
                        }
                        else if (type.Name == "Service" || type.Name == "Federated" || type.Name == "CanonicalUser")
                            principals.Add(type.Name + ":" + value); // never a caller of the local engine, but valid
                        else
                            throw InvalidPrincipals(member);
                    }
                }
                return principals;
            }

            private static KmsException InvalidPrincipals(string member) =>
                Malformed("Policy contains a statement with one or more invalid principals.", member);

            private static List<string> ReadList(JObject item, string name, string notName, Statement statement, string member, out bool negated)
            {
                JToken token = item[name] ?? item[notName];
                negated = item[name] == null && item[notName] != null;
                if (item[name] != null && item[notName] != null)
                    throw Malformed($"{Name(statement)} has both {name} and {notName}; give one.", member);
                // KMS accepts a statement without Action or Resource and lets it have no effect, as its documentation says.
                if (token == null) return new List<string>();
                return Strings(token) ?? throw Malformed($"{Name(statement)} has a {(negated ? notName : name)} that is not a string or a list of strings.", member);
            }

            internal static List<string> Strings(JToken token)
            {
                if (token.Type == JTokenType.String) return new List<string> { (string)token };
                if (token.Type == JTokenType.Boolean || token.Type == JTokenType.Integer) return new List<string> { token.ToString(Formatting.None).ToLowerInvariant() };
                if (!(token is JArray array) || array.Any(v => v.Type != JTokenType.String && v.Type != JTokenType.Boolean && v.Type != JTokenType.Integer)) return null;
                return array.Select(v => v.Type == JTokenType.String ? (string)v : v.ToString(Formatting.None).ToLowerInvariant()).ToList();
            }

            public bool Applies(PolicyRequest request)
            {
                if (Actions.Count == 0 || Resources.Count == 0) return false;
                bool principal = Principals.Any(p => PrincipalMatches(p, request));
                if (principal == NotPrincipal) return false;
                bool action = Actions.Any(a => WildcardMatch(a, request.Action, ignoreCase: true));
                if (action == NotAction) return false;
                bool resource = Resources.Any(r => WildcardMatch(r, request.Resource, ignoreCase: false));
                if (resource == NotResource) return false;
                return Conditions.All(c => c.Holds(request));
            }

            internal static bool PrincipalMatches(string principal, PolicyRequest request)
            {
                if (principal == "*" || principal == request.Principal) return true;
                if (principal == request.Account) return true;
                Match named = PrincipalArn.Match(principal);
                if (!named.Success || named.Groups[2].Value != request.Account) return false;
                if (named.Groups[3].Value == "root") return true;
                // A role names every session of it: arn:aws:sts::A:assumed-role/R/session is role R.
                Match caller = PrincipalArn.Match(request.Principal ?? string.Empty);
                if (caller.Success && caller.Groups[3].Value.StartsWith("assumed-role/", StringComparison.Ordinal) && principal.Contains(":role/"))
                {
                    string role = caller.Groups[3].Value.Substring("assumed-role/".Length);
                    int slash = role.LastIndexOf('/');
                    if (slash > 0) role = role.Substring(0, slash);
                    return principal.EndsWith(":role/" + role, StringComparison.Ordinal);
                }
                return false;
            }
        }

        private sealed class Condition
        {
            private string _operator;
            private bool _negated;
            private bool _ifExists;
            private string _set; // null, "ForAnyValue" or "ForAllValues"
            private readonly List<KeyValuePair<string, List<string>>> _tests = new List<KeyValuePair<string, List<string>>>();

            public static Condition Read(JProperty op, Statement statement, string member)
            {
                var condition = new Condition();
                string name = op.Name;
                int colon = name.IndexOf(':');
                if (colon > 0)
                {
                    condition._set = name.Substring(0, colon);
                    if (condition._set != "ForAnyValue" && condition._set != "ForAllValues")
                        throw Malformed($"The condition operator '{op.Name}' is not one KMS key policies take.", member);
                    name = name.Substring(colon + 1);
                }
                if (name.EndsWith("IfExists", StringComparison.Ordinal) && name != "Null")
                {
                    condition._ifExists = true;
                    name = name.Substring(0, name.Length - "IfExists".Length);
                }
                if (!Operators.Contains(name))
                    throw Malformed($"The condition operator '{op.Name}' is not one KMS key policies take (String*, Arn*, Bool, Null, with ForAnyValue:/ForAllValues: and ...IfExists).", member);
                condition._operator = name;
                condition._negated = name.IndexOf("Not", StringComparison.Ordinal) > 0;
                if (!(op.Value is JObject keys) || !keys.HasValues)
                    throw Malformed($"The condition operator '{op.Name}' must map condition keys to values.", member);
                foreach (JProperty key in keys.Properties())
                    condition._tests.Add(new KeyValuePair<string, List<string>>(key.Name,
                        Statement.Strings(key.Value) ?? throw Malformed($"The condition key '{key.Name}' must have a string or a list of strings.", member)));
                return condition;
            }

            public bool Holds(PolicyRequest request) => _tests.All(test => Holds(request.Values(test.Key), test.Value));

            private bool Holds(IList<string> values, List<string> expected)
            {
                if (_operator == "Null")
                    return expected.Any(e => string.Equals(e, "true", StringComparison.OrdinalIgnoreCase)) == (values == null || values.Count == 0);
                if (_set == "ForAllValues") return values == null || values.All(v => One(v, expected));
                if (_set == "ForAnyValue") return values != null && values.Any(v => One(v, expected));
                // A key the request lacks: only ...IfExists and the negated operators hold, as IAM evaluates them.
                if (values == null || values.Count == 0) return _ifExists || _negated;
                return One(values[0], expected);
            }

            /// <summary>One request value against the condition's values: positive operators need one match, negated ones none.</summary>
            private bool One(string value, List<string> expected)
            {
                bool matches;
                switch (_operator.Replace("Not", string.Empty))
                {
                    case "StringEquals":
                    case "ArnEquals":
                        matches = expected.Any(e => string.Equals(e, value, StringComparison.Ordinal));
                        break;
                    case "StringEqualsIgnoreCase":
                    case "Bool":
                        matches = expected.Any(e => string.Equals(e, value, StringComparison.OrdinalIgnoreCase));
                        break;
                    default: // StringLike, ArnLike
                        matches = expected.Any(e => WildcardMatch(e, value, ignoreCase: false));
                        break;
                }
                return matches != _negated;
            }
        }
    }
}
