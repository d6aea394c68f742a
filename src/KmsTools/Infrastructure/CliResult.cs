using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using KmsTools.Cli;

namespace KmsTools.Infrastructure
{
    /// <summary>
    /// -Output and -Query: a response as the aws CLI prints it (one string, as the CLI's stdout without its final
    /// newline) or, with -Query alone, the JMESPath result as PowerShell objects.
    /// </summary>
    internal static class CliResult
    {
        public static bool Wanted(string output, string query) => output != null || query != null;

        /// <returns>What the cmdlet writes, and whether PowerShell should enumerate it; a null value writes nothing.</returns>
        public static (object Value, bool Enumerate) Render(CliDocument document, string operation, string output, string query)
        {
            if (query != null) document = document.Query(query);
            if (output == null) return (ToPowerShell(document.ToPlain()), true);
            // Without its final newline: the host adds one, so Set-Content writes exactly what the CLI prints.
            string text = document.Format(output, operation);
            if (text.Length == 0) return (null, false);
            return (text.EndsWith("\n") ? text.Substring(0, text.Length - 1) : text, false);
        }

        /// <summary>A JMESPath result as PowerShell objects: objects become PSCustomObjects, arrays arrays, scalars themselves.</summary>
        public static object ToPowerShell(object value)
        {
            switch (value)
            {
                case List<KeyValuePair<string, object>> members:
                    var result = new PSObject();
                    foreach (var member in members) result.Properties.Add(new PSNoteProperty(member.Key, ToPowerShell(member.Value)));
                    return result;
                case object[] items:
                    return items.Select(ToPowerShell).ToArray();
                default:
                    return value;
            }
        }
    }
}
