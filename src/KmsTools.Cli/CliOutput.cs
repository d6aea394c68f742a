using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using DevLab.JmesPath;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using Newtonsoft.Json.Serialization;

namespace KmsTools.Cli
{
    /// <summary>
    /// What the AWS CLI prints for a response: its JSON form (the wire form; timestamps as epoch seconds, as CLI v1
    /// prints them), filtered by --query (JMESPath), in the --output format json, text, table or yaml.
    /// </summary>
    public static class CliOutput
    {
        public static readonly IReadOnlyList<string> Formats = new[] { "json", "text", "table", "yaml" };

        private static readonly JsonSerializer Serializer = JsonSerializer.Create(new JsonSerializerSettings
        {
            NullValueHandling = NullValueHandling.Ignore,
            ContractResolver = new DefaultContractResolver(),
            Converters = { new EpochSecondsConverter() },
        });

        /// <summary>The response's wire form; [JsonIgnore] views (Base64, PEM, EncryptionContext echoes) are left out.</summary>
        public static JToken ToJson(object response) => response == null ? JValue.CreateNull() : JToken.FromObject(response, Serializer);

        public static JToken Query(JToken document, string expression)
        {
            try
            {
                string result = new JmesPath().Transform(document.ToString(Formatting.None), expression);
                return JToken.Parse(result);
            }
            catch (Exception e) when (!(e is KmsException))
            {
                throw new KmsException(KmsErrorCodes.Validation, $"Bad value for --query {expression}: {e.Message}", "Query");
            }
        }

        /// <param name="title">The operation name: the table format's title, as the CLI shows it.</param>
        public static string Format(JToken document, string format, string title)
        {
            switch ((format ?? "json").ToLowerInvariant())
            {
                case "json": return document.Type == JTokenType.Null ? string.Empty : CliModel.Format(document) + "\n";
                case "text": return TextFormat.Format(document);
                case "yaml": return YamlFormat.Format(document);
                case "table": return TableFormat.Format(document, title);
                default:
                    throw new KmsException(KmsErrorCodes.Validation, $"Invalid -Output '{format}'; valid choices are: json, text, table, yaml.", "Output");
            }
        }

        /// <summary>Python's str() of a JSON scalar, which the text and table formats print.</summary>
        internal static string PythonString(JToken value)
        {
            switch (value.Type)
            {
                case JTokenType.Null: return "None";
                case JTokenType.Boolean: return (bool)value ? "True" : "False";
                case JTokenType.Float: return PythonFloat((double)value);
                case JTokenType.Integer: return ((long)value).ToString(CultureInfo.InvariantCulture);
                default: return (string)value;
            }
        }

        internal static string PythonFloat(double value)
        {
            string text = value.ToString("R", CultureInfo.InvariantCulture);
            return text.Contains(".") || text.Contains("E") || text.Contains("e") ? text.Replace("E+", "e+") : text + ".0";
        }

        private sealed class EpochSecondsConverter : JsonConverter
        {
            public override bool CanConvert(Type objectType) => objectType == typeof(DateTime) || objectType == typeof(DateTime?);

            public override void WriteJson(JsonWriter writer, object value, JsonSerializer serializer) =>
                writer.WriteValue(Math.Round(CliModel.EpochSeconds((DateTime)value), 6));

            public override object ReadJson(JsonReader reader, Type objectType, object existingValue, JsonSerializer serializer) =>
                throw new NotSupportedException();
        }
    }

    /// <summary>The CLI's text output (awscli/text.py): scalars of an object tab-separated in key order, nested values on lines of their own named by their upper-cased key.</summary>
    internal static class TextFormat
    {
        public static string Format(JToken document)
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
                    if (item.Type == JTokenType.Null && identifier == null && scalarKeys == null) return;
                    output.Append(CliOutput.PythonString(item)).Append('\n');
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
            else if (list.Any(IsContainer))
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
                foreach (JToken scalar in scalars) output.Append(identifier.ToUpperInvariant()).Append('\t').Append(CliOutput.PythonString(scalar)).Append('\n');
            else
                output.Append(string.Join("\t", scalars.Select(CliOutput.PythonString))).Append('\n');
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
                    else scalars.Add(CliOutput.PythonString(property.Value));
                }
            }
            else
            {
                foreach (string key in scalarKeys) scalars.Add(map[key] == null ? string.Empty : CliOutput.PythonString(map[key]));
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

    /// <summary>YAML as CLI v2 prints it (block style, keys in response order, strings quoted only where YAML would misread them).</summary>
    internal static class YamlFormat
    {
        public static string Format(JToken document)
        {
            var output = new StringBuilder();
            if (document is JObject || document is JArray) WriteBlock(document, output, 0);
            else output.Append(Scalar(document)).Append('\n');
            return output.ToString();
        }

        private static void WriteBlock(JToken token, StringBuilder output, int indent)
        {
            string pad = new string(' ', indent);
            if (token is JObject map)
            {
                if (!map.HasValues) { output.Append(pad).Append("{}\n"); return; }
                foreach (JProperty property in map.Properties())
                {
                    output.Append(pad).Append(Key(property.Name)).Append(':');
                    WriteValue(property.Value, output, indent, nestedIndent: indent + 2, listIndent: indent);
                }
            }
            else if (token is JArray list)
            {
                if (!list.HasValues) { output.Append(pad).Append("[]\n"); return; }
                foreach (JToken item in list)
                {
                    output.Append(pad).Append('-');
                    if (item is JObject element && element.HasValues)
                    {
                        bool first = true;
                        foreach (JProperty property in element.Properties())
                        {
                            output.Append(first ? " " : pad + "  ").Append(Key(property.Name)).Append(':');
                            WriteValue(property.Value, output, indent + 2, nestedIndent: indent + 4, listIndent: indent + 2);
                            first = false;
                        }
                    }
                    else if (item is JArray inner && inner.HasValues)
                    {
                        output.Append('\n');
                        WriteBlock(inner, output, indent + 2);
                    }
                    else
                    {
                        output.Append(' ').Append(item is JContainer ? (item is JObject ? "{}" : "[]") : Scalar(item)).Append('\n');
                    }
                }
            }
        }

        private static void WriteValue(JToken value, StringBuilder output, int indent, int nestedIndent, int listIndent)
        {
            if (value is JObject map && map.HasValues) { output.Append('\n'); WriteBlock(map, output, nestedIndent); }
            else if (value is JArray list && list.HasValues) { output.Append('\n'); WriteBlock(list, output, listIndent); }
            else if (value is JContainer) output.Append(value is JObject ? " {}\n" : " []\n");
            else output.Append(' ').Append(Scalar(value)).Append('\n');
        }

        private static string Key(string key) => Scalar(new JValue(key));

        private static string Scalar(JToken value)
        {
            switch (value.Type)
            {
                case JTokenType.Null: return "null";
                case JTokenType.Boolean: return (bool)value ? "true" : "false";
                case JTokenType.Integer: return ((long)value).ToString(CultureInfo.InvariantCulture);
                case JTokenType.Float: return CliOutput.PythonFloat((double)value);
            }
            string text = (string)value;
            return NeedsQuotes(text) ? "'" + text.Replace("'", "''") + "'" : text;
        }

        private static bool NeedsQuotes(string text)
        {
            if (text.Length == 0 || text != text.Trim()) return true;
            string lower = text.ToLowerInvariant();
            if (new[] { "null", "~", "true", "false", "yes", "no", "on", "off", "y", "n" }.Contains(lower)) return true;
            if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out _)) return true;
            if ("-?:,[]{}#&*!|>'\"%@`".IndexOf(text[0]) >= 0) return true;
            return text.Contains(": ") || text.Contains(" #") || text.EndsWith(":") || text.Any(c => c < ' ');
        }
    }
}
