using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace KmsTools.Cli
{
    /// <summary>
    /// The KMS API model of the operations this module covers (Model/kms-model.json, extracted from the service
    /// model by build/Update-KmsModel.ps1): what -GenerateCliSkeleton prints and what -CliInputJson may contain.
    /// </summary>
    public static class CliModel
    {
        private static readonly Lazy<JObject> Model = new Lazy<JObject>(Load);
        private static readonly DateTime Epoch = new DateTime(1970, 1, 1, 0, 0, 0, DateTimeKind.Utc);

        public static IEnumerable<string> Operations => ((JObject)Model.Value["operations"]).Properties().Select(p => p.Name);

        /// <summary>
        /// The skeleton the AWS CLI prints for --generate-cli-skeleton, by botocore's rules: "" for strings, 0 for
        /// numbers, true for booleans, null for blobs, "1970-01-01T00:00:00" for timestamps, one element per list,
        /// "KeyName" for map keys, {} for a structure met again inside itself. Where botocore picks an enum value at
        /// random, this takes the first, so the output is stable.
        /// </summary>
        public static string Skeleton(string operation, string kind)
        {
            JObject definition = Operation(operation);
            string shape = (string)definition[kind == "output" ? "output" : "input"];
            JToken skeleton = shape == null ? new JObject() : SkeletonOf(shape, new List<string>());
            return Format(skeleton);
        }

        /// <summary>
        /// Reads a --cli-input-json document into <typeparamref name="TRequest"/>: a JSON object whose members are the
        /// operation's request members (blobs as base64). Unknown members and wrong types are a ValidationException
        /// that lists them all, as the CLI's parameter validation does. "file://path" reads the document from a file.
        /// </summary>
        public static TRequest ReadInput<TRequest>(string operation, string json) where TRequest : class
        {
            string text = json;
            JObject document = StrictJson.ParseObject(text, why =>
                new KmsException(KmsErrorCodes.Validation, $"The -CliInputJson value is not a JSON object: {why}.", "CliInputJson"));
            string inputShape = (string)Operation(operation)["input"];
            var problems = new List<string>();
            Check(document, inputShape, "", problems);
            var supported = new HashSet<string>(typeof(TRequest).GetProperties(BindingFlags.Public | BindingFlags.Instance).Select(p => p.Name));
            foreach (JProperty member in document.Properties())
                if (!supported.Contains(member.Name) && problems.Count == 0 && member.Value.Type != JTokenType.Null)
                    problems.Add($"KmsTools does not support the member \"{member.Name}\" of {operation}; remove it from the input");
            if (problems.Count > 0)
                throw new KmsException(KmsErrorCodes.Validation, "Parameter validation failed:\n" + string.Join("\n", problems), "CliInputJson");
            foreach (JProperty member in document.Properties().ToList())
                if (!supported.Contains(member.Name)) member.Remove();
            return document.ToObject<TRequest>(WireReader);
        }

        /// <summary>
        /// Reads a request body of the KMS wire protocol (AWS JSON 1.1) into the operation's request type. As AWS KMS
        /// does, members it does not know are ignored; a body that is not a JSON object, or a member of the wrong type
        /// (blobs are base64 strings), is a SerializationException listing every problem. An empty body is {}.
        /// </summary>
        public static object ReadWireRequest(string operation, string json, Type requestType)
        {
            if (string.IsNullOrWhiteSpace(json)) json = "{}";
            JObject document = StrictJson.ParseObject(json, why =>
                new KmsException(KmsErrorCodes.Serialization, $"The request body is not a JSON object: {why}."));
            var problems = new List<string>();
            Check(document, (string)Operation(operation)["input"], "", problems, wire: true);
            if (problems.Count > 0)
                throw new KmsException(KmsErrorCodes.Serialization, string.Join("; ", problems));
            return document.ToObject(requestType, WireReader);
        }

        private static readonly JsonSerializer WireReader = JsonSerializer.Create(new JsonSerializerSettings
        {
            DateParseHandling = DateParseHandling.None,
            Converters = { new TimestampReader() },
        });

        /// <summary>
        /// A timestamp member as the wire protocol sends it (epoch seconds, a number, as the SDKs send ImportKeyMaterial's
        /// ValidTo) or as the aws CLI takes it in --cli-input-json (that, or an ISO 8601 text); always UTC.
        /// </summary>
        private sealed class TimestampReader : JsonConverter
        {
            public override bool CanConvert(Type objectType) => objectType == typeof(DateTime) || objectType == typeof(DateTime?);

            public override bool CanWrite => false;

            public override void WriteJson(JsonWriter writer, object value, JsonSerializer serializer) => throw new NotSupportedException();

            public override object ReadJson(JsonReader reader, Type objectType, object existingValue, JsonSerializer serializer)
            {
                switch (reader.TokenType)
                {
                    case JsonToken.Null:
                        return null;
                    case JsonToken.Integer:
                    case JsonToken.Float:
                        return Epoch.AddTicks((long)Math.Round(Convert.ToDouble(reader.Value, System.Globalization.CultureInfo.InvariantCulture) * TimeSpan.TicksPerSecond));
                    case JsonToken.String:
                        string text = (string)reader.Value;
                        if (double.TryParse(text, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out double seconds))
                            return Epoch.AddTicks((long)Math.Round(seconds * TimeSpan.TicksPerSecond));
                        if (DateTime.TryParse(text, System.Globalization.CultureInfo.InvariantCulture,
                                System.Globalization.DateTimeStyles.AdjustToUniversal | System.Globalization.DateTimeStyles.AssumeUniversal, out DateTime parsed))
                            return parsed;
                        break;
                }
                throw new KmsException(KmsErrorCodes.Serialization, $"'{reader.Path}' is not a timestamp: give epoch seconds or an ISO 8601 date and time.");
            }
        }

        /// <summary>True when <paramref name="operation"/> is a KMS operation of the API model.</summary>
        public static bool IsOperation(string operation) => Model.Value["operations"][operation] is JObject;

        /// <summary>Members given on the command line (non-null) override those of the input document, as in the CLI.</summary>
        public static TRequest Merge<TRequest>(TRequest fromDocument, TRequest fromCommandLine) where TRequest : class
        {
            foreach (PropertyInfo property in typeof(TRequest).GetProperties(BindingFlags.Public | BindingFlags.Instance))
            {
                if (!property.CanWrite) continue;
                object given = property.GetValue(fromCommandLine);
                if (given != null) property.SetValue(fromDocument, given);
            }
            return fromDocument;
        }

        /// <summary>Indented as the CLI prints JSON (Python's json.dumps with indent=4).</summary>
        public static string Format(JToken token)
        {
            using (var writer = new StringWriter())
            {
                using (var json = new JsonTextWriter(writer) { Formatting = Formatting.Indented, Indentation = 4, IndentChar = ' ' })
                    token.WriteTo(json);
                return writer.ToString();
            }
        }

        internal static JObject Shape(string name) => (JObject)Model.Value["shapes"][name];

        private static JObject Operation(string operation) =>
            (JObject)Model.Value["operations"][operation] ?? throw new ArgumentException("Unknown operation " + operation, nameof(operation));

        private static JToken SkeletonOf(string shapeName, List<string> stack)
        {
            JObject shape = Shape(shapeName);
            stack.Add(shapeName);
            try
            {
                switch ((string)shape["type"])
                {
                    case "structure":
                        if (stack.Count(s => s == shapeName) > 1) return new JObject();
                        var structure = new JObject();
                        foreach (JProperty member in ((JObject)shape["members"]).Properties())
                            structure[member.Name] = SkeletonOf((string)member.Value, stack);
                        return structure;
                    case "list":
                        return new JArray(SkeletonOf((string)shape["member"], stack));
                    case "map":
                        return new JObject { ["KeyName"] = SkeletonOf((string)shape["value"], stack) };
                    case "string":
                        return shape["enum"] is JArray values ? values[0].DeepClone() : new JValue(string.Empty);
                    case "integer":
                    case "long":
                        return new JValue(0);
                    case "float":
                    case "double":
                        return new JValue(0.0);
                    case "boolean":
                        return new JValue(true);
                    case "timestamp":
                        return new JValue("1970-01-01T00:00:00");
                    default:
                        return JValue.CreateNull(); // blobs: botocore has no placeholder for them
                }
            }
            finally
            {
                stack.RemoveAt(stack.Count - 1);
            }
        }

        private static void Check(JToken value, string shapeName, string path, List<string> problems, bool wire = false)
        {
            JObject shape = Shape(shapeName);
            string type = (string)shape["type"];
            string name = path.Length == 0 ? "input" : path;
            if (value.Type == JTokenType.Null) return;
            string InvalidType(string expected) => CliModel.InvalidType(name, value, expected, (bool?)shape["sensitive"] == true);
            switch (type)
            {
                case "structure":
                    if (!(value is JObject structure)) { problems.Add(InvalidType("object")); return; }
                    var members = (JObject)shape["members"];
                    foreach (JProperty member in structure.Properties())
                    {
                        if (members[member.Name] == null)
                        {
                            if (!wire) problems.Add($"Unknown parameter in {name}: \"{member.Name}\", must be one of: {string.Join(", ", members.Properties().Select(p => p.Name))}");
                        }
                        else
                            Check(member.Value, (string)members[member.Name], path.Length == 0 ? member.Name : path + "." + member.Name, problems, wire);
                    }
                    return;
                case "list":
                    if (!(value is JArray list)) { problems.Add(InvalidType("list")); return; }
                    for (int i = 0; i < list.Count; i++) Check(list[i], (string)shape["member"], $"{name}[{i}]", problems, wire);
                    return;
                case "map":
                    if (!(value is JObject map)) { problems.Add(InvalidType("object")); return; }
                    foreach (JProperty entry in map.Properties()) Check(entry.Value, (string)shape["value"], $"{name}.{entry.Name}", problems, wire);
                    return;
                case "string":
                    if (value.Type != JTokenType.String) problems.Add(InvalidType("string"));
                    return;
                case "integer":
                case "long":
                    if (value.Type != JTokenType.Integer) { problems.Add(InvalidType("integer")); return; }
                    // Out of range of the member's type is an error here, not an overflow in the conversion after it.
                    System.Numerics.BigInteger number = value.ToObject<System.Numerics.BigInteger>();
                    long lowest = type == "long" ? long.MinValue : int.MinValue, highest = type == "long" ? long.MaxValue : int.MaxValue;
                    if (number < lowest || number > highest)
                        problems.Add($"Invalid value for parameter {name}, value: {Redaction.Shorten(number.ToString(System.Globalization.CultureInfo.InvariantCulture))}, valid range: {lowest} to {highest}");
                    return;
                case "boolean":
                    if (value.Type != JTokenType.Boolean) problems.Add(InvalidType("boolean"));
                    return;
                case "blob":
                    if (value.Type != JTokenType.String) { problems.Add(InvalidType("base64 string")); return; }
                    try { Convert.FromBase64String((string)value); }
                    catch (FormatException) { problems.Add($"Invalid base64 for parameter {name}: blobs {(wire ? "on the wire" : "in -CliInputJson")} are base64 strings"); }
                    return;
            }
        }

        /// <summary>The CLI's type error; a sensitive member's value (a plaintext) is never shown, others are cut short.</summary>
        private static string InvalidType(string name, JToken value, string expected, bool sensitive) =>
            $"Invalid type for parameter {name}, value: {(sensitive || Redaction.IsSecret(LeafName(name)) ? "(sensitive, not shown)" : Redaction.Shorten(value.ToString(Formatting.None)))}, type: {value.Type.ToString().ToLowerInvariant()}, valid types: {expected}";

        private static string LeafName(string path)
        {
            string leaf = path.Substring(path.LastIndexOf('.') + 1);
            int index = leaf.IndexOf('[');
            return index < 0 ? leaf : leaf.Substring(0, index);
        }


        private static JObject Load()
        {
            using (Stream stream = typeof(CliModel).Assembly.GetManifestResourceStream("KmsTools.kms-model.json"))
            using (var reader = new StreamReader(stream))
                return JObject.Parse(reader.ReadToEnd());
        }

        internal static double EpochSeconds(DateTime value) => (value.ToUniversalTime() - Epoch).TotalSeconds;
    }
}
