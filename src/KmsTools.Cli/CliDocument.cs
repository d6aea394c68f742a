using System.Collections.Generic;
using System.Linq;
using Newtonsoft.Json.Linq;

namespace KmsTools.Cli
{
    /// <summary>
    /// A response in its CLI (wire) form, for -Output and -Query. It keeps the JSON library inside the engine:
    /// the cmdlet assembly, loaded where other modules' copies of that library live, never sees its types.
    /// </summary>
    public sealed class CliDocument
    {
        private JToken _token;

        private CliDocument(JToken token) => _token = token;

        public static CliDocument FromResponse(object response) => new CliDocument(CliOutput.ToJson(response));

        /// <summary>Appends a further page: list members grow, the rest take the newer page's values (as the CLI's paginator merges).</summary>
        public void AddPage(CliDocument page)
        {
            if (!(_token is JObject merged) || !(page._token is JObject next)) { _token = page._token; return; }
            foreach (JProperty property in next.Properties())
            {
                if (property.Value is JArray items && merged[property.Name] is JArray existing)
                    foreach (JToken item in items) existing.Add(item);
                else merged[property.Name] = property.Value;
            }
        }

        /// <summary>Drops the paging members once every page is in.</summary>
        public void RemovePaging()
        {
            if (_token is JObject map)
            {
                map.Remove("NextMarker");
                map.Remove("Truncated");
            }
        }

        public CliDocument Query(string expression) => new CliDocument(CliOutput.Query(_token, expression));

        public string Format(string format, string operation) => Output.CliOutputWriter.For(format).Write(_token, operation);

        /// <summary>
        /// The document as plain .NET values: objects as ordered lists of name/value pairs, arrays as object[],
        /// scalars as themselves, for the cmdlets to turn into PowerShell objects.
        /// </summary>
        public object ToPlain() => Plain(_token);

        private static object Plain(JToken token)
        {
            switch (token)
            {
                case JObject map: return map.Properties().Select(p => new KeyValuePair<string, object>(p.Name, Plain(p.Value))).ToList();
                case JArray list: return list.Select(Plain).ToArray();
                case JValue value: return value.Value;
                default: return null;
            }
        }
    }
}
