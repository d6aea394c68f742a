using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;

namespace KmsTools.Infrastructure
{
    /// <summary>Completes a closed set of values (the model's enums), so they tab-complete without an enum parameter type.</summary>
    public abstract class ClosedSetCompleter : IArgumentCompleter
    {
        protected abstract IEnumerable<string> Values { get; }

        /// <summary>The values to offer for this command line; the whole set unless a subclass narrows it.</summary>
        protected virtual IEnumerable<string> ValuesFor(IDictionary fakeBoundParameters) => Values;

        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
            CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            string prefix = (wordToComplete ?? string.Empty).Trim('\'', '"');
            return ValuesFor(fakeBoundParameters)
                .Where(v => v.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
                .Select(v => new CompletionResult(v, v, CompletionResultType.ParameterValue, v)).ToList();
        }
    }

    public sealed class DataKeyPairSpecCompleter : ClosedSetCompleter
    {
        protected override IEnumerable<string> Values => Model.DataKeyPairSpec.Values;
    }

    public sealed class DataKeySpecCompleter : ClosedSetCompleter
    {
        protected override IEnumerable<string> Values => new[] { "AES_256", "AES_128" };
    }

    public sealed class KeySpecCompleter : ClosedSetCompleter
    {
        protected override IEnumerable<string> Values => Model.KeySpec.Values;
    }

    /// <summary>The AWS Encryption SDK's algorithm suites, by name; under -CommitmentPolicy ForbidEncryptAllowDecrypt the version 1 ones, else the committing ones.</summary>
    public sealed class AlgorithmSuiteCompleter : ClosedSetCompleter
    {
        protected override IEnumerable<string> Values => Encryption.AlgorithmSuite.All.Select(s => s.Name);

        protected override IEnumerable<string> ValuesFor(IDictionary fakeBoundParameters)
        {
            bool forbid = string.Equals(fakeBoundParameters?["CommitmentPolicy"]?.ToString(), nameof(Encryption.CommitmentPolicy.ForbidEncryptAllowDecrypt), StringComparison.OrdinalIgnoreCase);
            return Encryption.AlgorithmSuite.All.Where(s => s.IsCommitting != forbid).Select(s => s.Name);
        }
    }

    public sealed class KeyUsageCompleter : ClosedSetCompleter
    {
        protected override IEnumerable<string> Values => Model.KeyUsageType.Values;
    }

    /// <summary>
    /// Completes an algorithm from the model's set, narrowed to what the key allows when -KeyId names a key of the
    /// local store (an HMAC_256 key offers HMAC_SHA_256 only); any other key, or none, offers the whole set.
    /// </summary>
    public abstract class KeyAlgorithmCompleter : ClosedSetCompleter
    {
        /// <summary>The key's own values of this kind, from its metadata (and what else the command line binds); null when it lists none.</summary>
        protected abstract IEnumerable<string> Allowed(Model.KeyMetadata key, IDictionary fakeBoundParameters);

        protected override IEnumerable<string> ValuesFor(IDictionary fakeBoundParameters)
        {
            if (!(fakeBoundParameters?["KeyId"] is string keyId) || keyId.Length == 0) return Values;
            // Not a local key, or one that lists none: the whole set.
            List<string> allowed = StoreCompletion.Read(fakeBoundParameters, backend =>
                Allowed(backend.DescribeKey(new Model.DescribeKeyRequest { KeyId = keyId }).KeyMetadata, fakeBoundParameters)?.ToList(), null);
            return allowed != null && allowed.Count > 0 ? allowed : Values;
        }
    }

    public sealed class MacAlgorithmCompleter : KeyAlgorithmCompleter
    {
        protected override IEnumerable<string> Values => Model.MacAlgorithmSpec.Values;
        protected override IEnumerable<string> Allowed(Model.KeyMetadata key, IDictionary bound) => key.MacAlgorithms;
    }

    public sealed class SigningAlgorithmCompleter : KeyAlgorithmCompleter
    {
        protected override IEnumerable<string> Values => Model.SigningAlgorithmSpec.Values;
        protected override IEnumerable<string> Allowed(Model.KeyMetadata key, IDictionary bound) => key.SigningAlgorithms;
    }

    public sealed class KeyAgreementAlgorithmCompleter : ClosedSetCompleter
    {
        protected override IEnumerable<string> Values => Model.KeyAgreementAlgorithmSpec.Values;
    }

    /// <summary>
    /// RAW, DIGEST or EXTERNAL_MU, narrowed to what the key's signing algorithms (or the -SigningAlgorithm given) take,
    /// by the engine's own rule (Signatures.MessageTypes).
    /// </summary>
    public sealed class MessageTypeCompleter : KeyAlgorithmCompleter
    {
        protected override IEnumerable<string> Values => Model.MessageType.Values;

        protected override IEnumerable<string> Allowed(Model.KeyMetadata key, IDictionary bound)
        {
            IEnumerable<string> algorithms = bound?["SigningAlgorithm"] is string given ? new[] { given } : key.SigningAlgorithms;
            if (algorithms == null) return null;
            var taken = new HashSet<string>(algorithms.SelectMany(Crypto.Signatures.MessageTypes));
            return Model.MessageType.Values.Where(taken.Contains);
        }
    }

    public sealed class EncryptionAlgorithmCompleter : KeyAlgorithmCompleter
    {
        protected override IEnumerable<string> Values => Model.EncryptionAlgorithmSpec.Values;
        protected override IEnumerable<string> Allowed(Model.KeyMetadata key, IDictionary bound) => key.EncryptionAlgorithms;
    }

    /// <summary>
    /// Completes key ids and alias names from the local store of the region the command line names, each with a
    /// tooltip (state, spec, description; an alias's target), so that fifty key ids can be told apart.
    /// </summary>
    public sealed class KeyIdCompleter : IArgumentCompleter
    {
        // Reading metadata for a tooltip costs a stat and maybe a parse: enough for a screenful, not for a 100,000-key store.
        private const int MaxDescribed = 200;

        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
            CommandAst commandAst, IDictionary fakeBoundParameters) =>
            StoreCompletion.Complete(wordToComplete, fakeBoundParameters, backend =>
            {
                var aliases = backend.ListAliasTargets().Select(a => (a.Key, "-> " + a.Value));
                var keys = backend.ListKeyIdsAndAliasNames().Where(n => !n.StartsWith("alias/", StringComparison.Ordinal)).Select(id => (id, (string)null));
                return aliases.Concat(keys);
            }, (backend, name, tip) => tip ?? backend.DescribeForCompletion(name), MaxDescribed);
    }

    /// <summary>Completes the alias names of the local store (Remove-KmsAlias, Update-KmsAlias), each with the key it names.</summary>
    public sealed class AliasNameCompleter : IArgumentCompleter
    {
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
            CommandAst commandAst, IDictionary fakeBoundParameters) =>
            StoreCompletion.Complete(wordToComplete, fakeBoundParameters,
                backend => backend.ListAliasTargets().Select(a => (a.Key, "-> " + a.Value)), (backend, name, tip) => tip, int.MaxValue);
    }

    /// <summary>Completes -Region with the Regions the AWS SDK knows.</summary>
    public sealed class RegionCompleter : IArgumentCompleter
    {
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
            CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            string prefix = (wordToComplete ?? string.Empty).Trim('\'', '"');
            return Amazon.RegionEndpoint.EnumerableAllRegions
                .Where(r => r.SystemName.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
                .OrderBy(r => r.SystemName, StringComparer.Ordinal)
                .Select(r => new CompletionResult(r.SystemName, r.SystemName, CompletionResultType.ParameterValue, r.DisplayName))
                .ToList();
        }
    }

    /// <summary>Completes -Profile with the profiles of the AWS config and credentials files.</summary>
    public sealed class ProfileCompleter : IArgumentCompleter
    {
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
            CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            string prefix = (wordToComplete ?? string.Empty).Trim('\'', '"');
            try
            {
                return Cli.AwsConfigFile.ProfileNames()
                    .Where(p => p.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
                    .Select(p => new CompletionResult(p, p, CompletionResultType.ParameterValue, "AWS profile " + p))
                    .ToList();
            }
            catch (Exception e) when (e is System.IO.IOException || e is UnauthorizedAccessException)
            {
                return Enumerable.Empty<CompletionResult>();
            }
        }
    }

    internal static class StoreCompletion
    {
        public static IEnumerable<CompletionResult> Complete(string wordToComplete, IDictionary fakeBoundParameters,
            Func<Local.LocalKmsBackend, IEnumerable<(string Name, string Tip)>> names,
            Func<Local.LocalKmsBackend, string, string, string> tooltip, int maxDescribed)
        {
            string prefix = (wordToComplete ?? string.Empty).Trim('\'', '"');
            return Read(fakeBoundParameters, backend =>
            {
                var matches = names(backend).Where(n => n.Name.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)).ToList();
                return matches.Select((n, i) => new CompletionResult(n.Name, n.Name, CompletionResultType.ParameterValue,
                    i < maxDescribed ? tooltip(backend, n.Name, n.Tip) : n.Name)).ToList();
            }, new List<CompletionResult>());
        }

        /// <summary>
        /// Reads the local store of the region the command line names. Completion must never break the prompt: a store
        /// that cannot be read, or a key it does not have, gives <paramref name="fallback"/>.
        /// </summary>
        public static T Read<T>(IDictionary fakeBoundParameters, Func<Local.LocalKmsBackend, T> read, T fallback)
        {
            try
            {
                using (var backend = new Local.LocalKmsBackend(Local.LocalKmsOptions.Resolve(fakeBoundParameters?["Region"] as string)))
                    return read(backend);
            }
            catch (Exception)
            {
                return fallback;
            }
        }
    }
}

namespace KmsTools.Infrastructure
{
    /// <summary>Completes -Address with the loopback addresses (and the all-interfaces one, which needs -AllowRemoteAccess).</summary>
    public sealed class ServerAddressCompleter : ClosedSetCompleter
    {
        protected override IEnumerable<string> Values => new[] { "127.0.0.1", "::1", "localhost", "0.0.0.0" };
    }

    /// <summary>Completes a server -Id with the servers running in this session, their URL as the tooltip.</summary>
    public sealed class ServerIdCompleter : IArgumentCompleter
    {
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
            CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            string prefix = (wordToComplete ?? string.Empty).Trim('\'', '"');
            return KmsServers.All
                .Select(s => (Id: s.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), s.Url))
                .Where(s => s.Id.StartsWith(prefix, StringComparison.Ordinal))
                .Select(s => new CompletionResult(s.Id, $"{s.Id} ({s.Url})", CompletionResultType.ParameterValue, s.Url)).ToList();
        }
    }
}

namespace KmsTools.Infrastructure
{
    public sealed class GrantOperationCompleter : ClosedSetCompleter
    {
        protected override IEnumerable<string> Values => Model.GrantOperation.Values;
    }

    /// <summary>A KMS key has one key policy, named default.</summary>
    public sealed class PolicyNameCompleter : ClosedSetCompleter
    {
        protected override IEnumerable<string> Values => new[] { "default" };
    }

    /// <summary>Completes -GrantId with the grants of the key that -KeyId names in the local store, each with its grantee and operations.</summary>
    public sealed class GrantIdCompleter : IArgumentCompleter
    {
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
            CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            string keyId = fakeBoundParameters?["KeyId"] as string;
            if (string.IsNullOrEmpty(keyId)) return new List<CompletionResult>();
            return StoreCompletion.Complete(wordToComplete, fakeBoundParameters, backend =>
                backend.ListGrants(new Model.ListGrantsRequest { KeyId = keyId, Limit = 100 }).Grants
                    .Select(g => (g.GrantId, $"{g.GranteePrincipal}: {string.Join(", ", g.Operations)}")),
                (backend, name, tip) => tip, int.MaxValue);
        }
    }
}

namespace KmsTools.Infrastructure
{
    /// <summary>The wrapping algorithms the local engine takes (AWS's others: RSAES_PKCS1_V1_5 is retired; SM2PKE wrapping needs AWS KMS).</summary>
    public sealed class WrappingAlgorithmCompleter : ClosedSetCompleter
    {
        protected override IEnumerable<string> Values => new[] { "RSAES_OAEP_SHA_256", "RSA_AES_KEY_WRAP_SHA_256", "RSAES_OAEP_SHA_1", "RSA_AES_KEY_WRAP_SHA_1" };
    }

    public sealed class WrappingKeySpecCompleter : ClosedSetCompleter
    {
        protected override IEnumerable<string> Values => Model.WrappingKeySpec.Values;
    }

    public sealed class ExpirationModelCompleter : ClosedSetCompleter
    {
        protected override IEnumerable<string> Values => Model.ExpirationModelType.Values;
    }

    public sealed class ImportTypeCompleter : ClosedSetCompleter
    {
        protected override IEnumerable<string> Values => Model.ImportType.Values;
    }

    public sealed class OriginCompleter : ClosedSetCompleter
    {
        protected override IEnumerable<string> Values => new[] { "AWS_KMS", "EXTERNAL" };
    }
}
