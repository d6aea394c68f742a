using System;
using System.Collections;
using System.Collections.Generic;
using System.Text;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace KmsTools.Cli
{
    /// <summary>
    /// Turns what users type for an encryption context into the string-to-string map KMS wants: a dictionary
    /// whose values are strings, a JSON object (<c>{"k1":"v1"}</c>, the CLI's JSON syntax), or the CLI's
    /// shorthand (<c>k1=v1,k2=v2</c>; quote a key or value with ' or " to include , or =).
    /// Anything else is a ValidationException that names the offending entry; nothing is guessed.
    /// </summary>
    public static class EncryptionContextParser
    {
        private const string Member = "EncryptionContext";

        public static Dictionary<string, string> FromDictionary(IDictionary dictionary, Func<object, object> unwrap = null)
        {
            var context = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (DictionaryEntry entry in dictionary)
            {
                object key = unwrap == null ? entry.Key : unwrap(entry.Key);
                object value = unwrap == null ? entry.Value : unwrap(entry.Value);
                if (!(key is string keyText))
                    throw Invalid($"the key {Describe(key)} is not a string. Encryption context keys and values must be strings.");
                if (!(value is string valueText))
                    throw Invalid($"the value of '{keyText}' is {Describe(value)}, not a string. Encryption context values must be strings; quote them, e.g. @{{ {keyText} = '{value}' }}.");
                Add(context, keyText, valueText);
            }
            return context;
        }

        public static Dictionary<string, string> Parse(string text)
        {
            if (text == null) return null;
            string trimmed = text.Trim();
            if (trimmed.Length == 0) return new Dictionary<string, string>(StringComparer.Ordinal);
            return trimmed[0] == '{' ? ParseJson(trimmed) : ParseShorthand(trimmed);
        }

        private static Dictionary<string, string> ParseJson(string json)
        {
            JObject parsed = StrictJson.ParseObject(json, why => Invalid($"it is not a valid JSON object: {why}."));
            var context = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var property in parsed.Properties())
            {
                if (property.Value.Type != JTokenType.String)
                    throw Invalid($"the value of '{property.Name}' is a JSON {property.Value.Type.ToString().ToLowerInvariant()}, not a string. Encryption context values must be strings.");
                Add(context, property.Name, (string)property.Value);
            }
            return context;
        }

        private static Dictionary<string, string> ParseShorthand(string text)
        {
            var context = new Dictionary<string, string>(StringComparer.Ordinal);
            int i = 0;
            while (i < text.Length)
            {
                string key = ReadToken(text, ref i, '=');
                if (i >= text.Length || text[i] != '=')
                    throw Invalid($"'{key}' has no '='. Use the shorthand k1=v1,k2=v2 or a JSON object such as {{\"k1\":\"v1\"}}.");
                i++;
                string value = ReadToken(text, ref i, ',');
                if (key.Length == 0)
                    throw Invalid("an entry has an empty key. Use the shorthand k1=v1,k2=v2.");
                Add(context, key, value);
                if (i < text.Length) i++; // the ','
            }
            return context;
        }

        private static string ReadToken(string text, ref int i, char stop)
        {
            while (i < text.Length && text[i] == ' ') i++;
            if (i < text.Length && (text[i] == '"' || text[i] == '\''))
            {
                char quote = text[i++];
                int end = text.IndexOf(quote, i);
                if (end < 0) throw Invalid($"a {quote} quote is not closed.");
                string quoted = text.Substring(i, end - i);
                i = end + 1;
                while (i < text.Length && text[i] == ' ') i++;
                if (i < text.Length && text[i] != stop && !(stop == '=' && text[i] == ','))
                    throw Invalid($"unexpected '{text[i]}' after the quoted text \"{quoted}\".");
                return quoted;
            }
            var token = new StringBuilder();
            while (i < text.Length && text[i] != stop && !(stop == '=' && text[i] == ','))
                token.Append(text[i++]);
            return token.ToString().Trim();
        }

        private static void Add(Dictionary<string, string> context, string key, string value)
        {
            if (context.ContainsKey(key))
                throw Invalid($"the key '{key}' appears more than once.");
            context.Add(key, value);
        }

        private static string Describe(object value) =>
            value == null ? "null" : $"a {value.GetType().Name} ({value})";

        private static KmsException Invalid(string reason) =>
            new KmsException(KmsErrorCodes.Validation, "The encryption context is not valid: " + reason, Member);
    }
}
