using System.Globalization;
using System.Linq;
using System.Text;
using Newtonsoft.Json.Linq;

namespace KmsTools.Cli.Output
{
    /// <summary>YAML as CLI v2 prints it (block style, keys in response order, strings quoted only where YAML would misread them).</summary>
    public sealed class YamlOutputWriter : CliOutputWriter
    {
        public override string Name => "yaml";

        public override string Write(JToken document, string operation)
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
                case JTokenType.Float: return PythonFloat((double)value);
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
