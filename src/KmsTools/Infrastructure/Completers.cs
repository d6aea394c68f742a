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

        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
            CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            string prefix = (wordToComplete ?? string.Empty).Trim('\'', '"');
            return Values
                .Where(v => v.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
                .Select(v => new CompletionResult(v, v, CompletionResultType.ParameterValue, v));
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

    public sealed class KeyUsageCompleter : ClosedSetCompleter
    {
        protected override IEnumerable<string> Values => Model.KeyUsageType.Values;
    }

    /// <summary>
    /// Completes an algorithm from the model's set, narrowed to what the key allows when -KeyId names a key of the
    /// local store (an HMAC_256 key offers HMAC_SHA_256 only); any other key, or none, offers the whole set.
    /// </summary>
    public abstract class KeyAlgorithmCompleter : IArgumentCompleter
    {
        protected abstract IEnumerable<string> AllValues { get; }

        /// <summary>The key's own values of this kind, from its metadata (and what else the command line binds); null when it lists none.</summary>
        protected abstract IEnumerable<string> Allowed(Model.KeyMetadata key, IDictionary fakeBoundParameters);

        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
            CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            string prefix = (wordToComplete ?? string.Empty).Trim('\'', '"');
            IEnumerable<string> values = KeyValues(fakeBoundParameters) ?? AllValues;
            return values
                .Where(v => v.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
                .Select(v => new CompletionResult(v, v, CompletionResultType.ParameterValue, v)).ToList();
        }

        private IEnumerable<string> KeyValues(IDictionary fakeBoundParameters)
        {
            if (!(fakeBoundParameters?["KeyId"] is string keyId) || keyId.Length == 0) return null;
            try
            {
                using (var backend = new Local.LocalKmsBackend(Local.LocalKmsOptions.Resolve(fakeBoundParameters["Region"] as string)))
                {
                    var allowed = Allowed(backend.DescribeKey(new Model.DescribeKeyRequest { KeyId = keyId }).KeyMetadata, fakeBoundParameters)?.ToList();
                    return allowed != null && allowed.Count > 0 ? allowed : null;
                }
            }
            catch (Exception)
            {
                return null; // not a local key, or none: the whole set
            }
        }
    }

    public sealed class MacAlgorithmCompleter : KeyAlgorithmCompleter
    {
        protected override IEnumerable<string> AllValues => Model.MacAlgorithmSpec.Values;
        protected override IEnumerable<string> Allowed(Model.KeyMetadata key, IDictionary bound) => key.MacAlgorithms;
    }

    public sealed class SigningAlgorithmCompleter : KeyAlgorithmCompleter
    {
        protected override IEnumerable<string> AllValues => Model.SigningAlgorithmSpec.Values;
        protected override IEnumerable<string> Allowed(Model.KeyMetadata key, IDictionary bound) => key.SigningAlgorithms;
    }

    public sealed class KeyAgreementAlgorithmCompleter : ClosedSetCompleter
    {
        protected override IEnumerable<string> Values => Model.KeyAgreementAlgorithmSpec.Values;
    }

    /// <summary>
    /// RAW, DIGEST or EXTERNAL_MU, narrowed to what the key's signing algorithms (or the -SigningAlgorithm given) take:
    /// ML-DSA takes RAW and EXTERNAL_MU, ED25519_SHA_512 RAW only, the others RAW and DIGEST.
    /// </summary>
    public sealed class MessageTypeCompleter : KeyAlgorithmCompleter
    {
        protected override IEnumerable<string> AllValues => Model.MessageType.Values;

        protected override IEnumerable<string> Allowed(Model.KeyMetadata key, IDictionary bound)
        {
            IEnumerable<string> algorithms = bound?["SigningAlgorithm"] is string given ? new[] { given } : key.SigningAlgorithms;
            if (algorithms == null) return null;
            var types = new List<string>();
            foreach (string algorithm in algorithms)
            {
                string[] taken = algorithm == Model.SigningAlgorithmSpec.ML_DSA_SHAKE_256 ? new[] { Model.MessageType.RAW, Model.MessageType.EXTERNAL_MU }
                    : algorithm == Model.SigningAlgorithmSpec.ED25519_SHA_512 ? new[] { Model.MessageType.RAW }
                    : new[] { Model.MessageType.RAW, Model.MessageType.DIGEST };
                foreach (string type in taken) if (!types.Contains(type)) types.Add(type);
            }
            return Model.MessageType.Values.Where(types.Contains);
        }
    }

    public sealed class EncryptionAlgorithmCompleter : KeyAlgorithmCompleter
    {
        protected override IEnumerable<string> AllValues => Model.EncryptionAlgorithmSpec.Values;
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
            string region = fakeBoundParameters?["Region"] as string;
            try
            {
                using (var backend = new Local.LocalKmsBackend(Local.LocalKmsOptions.Resolve(region)))
                {
                    var matches = names(backend).Where(n => n.Name.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)).ToList();
                    return matches.Select((n, i) => new CompletionResult(n.Name, n.Name, CompletionResultType.ParameterValue,
                        i < maxDescribed ? tooltip(backend, n.Name, n.Tip) : n.Name)).ToList();
                }
            }
            catch (Exception)
            {
                // Completion must never break the prompt: a store that cannot be read offers nothing.
                return Enumerable.Empty<CompletionResult>();
            }
        }
    }
}
