using System;
using DevLab.JmesPath;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using Newtonsoft.Json.Serialization;

namespace KmsTools.Cli
{
    /// <summary>
    /// A response's JSON form as the AWS CLI sees it (the wire form; timestamps as epoch seconds, as CLI v1 prints
    /// them), and --query (JMESPath) over it. The --output formats are the writers in <see cref="Output.CliOutputWriter"/>.
    /// </summary>
    public static class CliOutput
    {
        private static readonly JsonSerializer Serializer = JsonSerializer.Create(new JsonSerializerSettings
        {
            NullValueHandling = NullValueHandling.Ignore,
            ContractResolver = new DefaultContractResolver(),
            Converters = { new EpochSecondsConverter() },
        });

        /// <summary>The response's wire form; [JsonIgnore] views (Base64, PEM, EncryptionContext echoes) are left out.</summary>
        public static JToken ToJson(object response) => response == null ? JValue.CreateNull() : JToken.FromObject(response, Serializer);

        /// <summary>The response's wire form written straight to <paramref name="writer"/> (what <see cref="ToJson"/> builds, without the tree).</summary>
        public static void WriteJson(object response, JsonWriter writer) => Serializer.Serialize(writer, response);

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

        private sealed class EpochSecondsConverter : JsonConverter
        {
            public override bool CanConvert(Type objectType) => objectType == typeof(DateTime) || objectType == typeof(DateTime?);

            public override void WriteJson(JsonWriter writer, object value, JsonSerializer serializer) =>
                writer.WriteValue(Math.Round(CliModel.EpochSeconds((DateTime)value), 6));

            public override object ReadJson(JsonReader reader, Type objectType, object existingValue, JsonSerializer serializer) =>
                throw new NotSupportedException();
        }
    }
}
