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

    public sealed class EncryptionAlgorithmCompleter : ClosedSetCompleter
    {
        protected override IEnumerable<string> Values => Model.EncryptionAlgorithmSpec.Values;
    }

    /// <summary>Completes key ids and alias names from the local store of the region the command line names.</summary>
    public sealed class KeyIdCompleter : IArgumentCompleter
    {
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
            CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            string prefix = (wordToComplete ?? string.Empty).Trim('\'', '"');
            string region = fakeBoundParameters?["Region"] as string;
            try
            {
                var backend = new Local.LocalKmsBackend(Local.LocalKmsOptions.Resolve(region));
                return backend.ListKeyIdsAndAliasNames()
                    .Where(v => v.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
                    .Select(v => new CompletionResult(v, v, CompletionResultType.ParameterValue, v))
                    .ToList();
            }
            catch (Exception)
            {
                // Completion must never break the prompt: a store that cannot be read offers nothing.
                return Enumerable.Empty<CompletionResult>();
            }
        }
    }
}
