using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using Newtonsoft.Json.Linq;

namespace KmsTools.Cli.Output
{
    /// <summary>
    /// --output text, as awscli/text.py writes it: an object's scalars tab-separated in key order, its nested values on
    /// lines of their own named by their upper-cased key; a list of objects shares one column order, the union of their scalar keys.
    /// </summary>
    public sealed class TextOutputWriter : CliOutputWriter
    {
        public override string Name => "text";

        public override string Write(JToken document, string operation)
        {
            var output = new StringBuilder();
            Write(document, output, null, null);
            return output.ToString();
        }

        private static void Write(JToken item, StringBuilder output, string identifier, IList<string> scalarKeys)
        {
            switch (item)
            {
                case JObject map:
                    WriteObject(map, output, identifier, scalarKeys);
                    break;
                case JArray list:
                    WriteList(list, output, identifier);
                    break;
                default:
                    output.Append(PythonString(item)).Append('\n');
                    break;
            }
        }

        private static void WriteList(JArray list, StringBuilder output, string identifier)
        {
            if (list.Count == 0) return;
            if (list.Any(e => e is JObject))
            {
                List<string> keys = list.OfType<JObject>().SelectMany(o => o.Properties()).Where(p => !IsContainer(p.Value))
                    .Select(p => p.Name).Distinct().OrderBy(k => k, StringComparer.Ordinal).ToList();
                foreach (JToken element in list) Write(element, output, identifier, keys);
            }
            else if (list.Any(e => e is JArray))
            {
                List<JToken> scalars = list.Where(e => !IsContainer(e)).ToList();
                if (scalars.Count > 0) WriteScalars(scalars, output, identifier);
                foreach (JToken element in list.Where(IsContainer)) Write(element, output, identifier, null);
            }
            else
            {
                WriteScalars(list.ToList(), output, identifier);
            }
        }

        private static void WriteScalars(IList<JToken> scalars, StringBuilder output, string identifier)
        {
            if (identifier != null)
                foreach (JToken scalar in scalars) output.Append(identifier.ToUpperInvariant()).Append('\t').Append(PythonString(scalar)).Append('\n');
            else
                output.Append(string.Join("\t", scalars.Select(PythonString))).Append('\n');
        }

        private static void WriteObject(JObject map, StringBuilder output, string identifier, IList<string> scalarKeys)
        {
            var scalars = new List<string>();
            var nested = new List<JProperty>();
            if (scalarKeys == null)
            {
                foreach (JProperty property in map.Properties().OrderBy(p => p.Name, StringComparer.Ordinal))
                {
                    if (IsContainer(property.Value)) nested.Add(property);
                    else scalars.Add(PythonString(property.Value));
                }
            }
            else
            {
                foreach (string key in scalarKeys) scalars.Add(map[key] == null ? string.Empty : PythonString(map[key]));
                nested.AddRange(map.Properties().Where(p => !scalarKeys.Contains(p.Name)).OrderBy(p => p.Name, StringComparer.Ordinal));
            }
            if (scalars.Count > 0)
            {
                if (identifier != null) scalars.Insert(0, identifier.ToUpperInvariant());
                output.Append(string.Join("\t", scalars)).Append('\n');
            }
            foreach (JProperty property in nested) Write(property.Value, output, property.Name, null);
        }

        private static bool IsContainer(JToken token) => token is JObject || token is JArray;
    }
}
