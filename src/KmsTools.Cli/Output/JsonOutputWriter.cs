using Newtonsoft.Json.Linq;

namespace KmsTools.Cli.Output
{
    /// <summary>--output json: Python's json.dump with indent 4, as the CLI calls it; a null result prints "null".</summary>
    public sealed class JsonOutputWriter : CliOutputWriter
    {
        public override string Name => "json";

        // The CLI prints nothing for an empty object only (an operation without a response body).
        public override string Write(JToken document, string operation) =>
            document is JObject map && !map.HasValues ? string.Empty : CliModel.Format(document) + "\n";
    }
}
