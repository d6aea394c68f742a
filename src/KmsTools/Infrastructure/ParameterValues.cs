using System;
using System.Collections;
using System.Collections.Generic;
using System.Management.Automation;
using KmsTools.Cli;

namespace KmsTools.Infrastructure
{
    /// <summary>What PowerShell users pass (hashtables, PSObjects, switches) turned into request members.</summary>
    internal static class ParameterValues
    {
        /// <summary>Reads -EncryptionContext: a hashtable or dictionary, a JSON object string, the CLI's k=v,k2=v2 shorthand, or an object with string properties.</summary>
        public static Dictionary<string, string> ToEncryptionContext(object value)
        {
            object raw = Unwrap(value);
            switch (raw)
            {
                case null:
                    return null;
                case string text:
                    return EncryptionContextParser.Parse(text);
                case IDictionary dictionary:
                    return EncryptionContextParser.FromDictionary(dictionary, Unwrap);
                // Unwrap keeps a PSCustomObject in its PSObject (the wrapper holds its properties): a [pscustomobject],
                // or a context that went through ConvertTo-Json and ConvertFrom-Json.
                case PSObject custom when custom.BaseObject is PSCustomObject:
                    var properties = new System.Collections.Specialized.OrderedDictionary(StringComparer.Ordinal);
                    foreach (PSPropertyInfo property in custom.Properties) properties[property.Name] = property.Value;
                    return EncryptionContextParser.FromDictionary(properties, Unwrap);
                default:
                    throw new KmsException(KmsErrorCodes.Validation,
                        $"The encryption context is not valid: a {raw.GetType().Name} is not a map. Pass a hashtable (@{{ purpose = 'backup' }}), a JSON object string, or k1=v1,k2=v2.",
                        "EncryptionContext");
            }
        }

        /// <summary>Tags from a hashtable (@{ team = 'ops' }), in the hashtable's order.</summary>
        public static List<Model.Tag> ToTags(IDictionary tags)
        {
            if (tags == null) return null;
            var list = new List<Model.Tag>();
            foreach (DictionaryEntry entry in tags)
                list.Add(new Model.Tag { TagKey = Unwrap(entry.Key)?.ToString(), TagValue = Unwrap(entry.Value)?.ToString() ?? string.Empty });
            return list;
        }

        public static List<string> ToList(string[] values) => values == null ? null : new List<string>(values);

        public static bool? ToDryRun(SwitchParameter dryRun, IDictionary<string, object> bound) => ToSwitch(dryRun, bound, "DryRun");

        /// <summary>A switch as a request's nullable boolean: sent only when given (-X true, -X:$false false), as the CLI sends --x/--no-x.</summary>
        public static bool? ToSwitch(SwitchParameter value, IDictionary<string, object> bound, string name) =>
            bound.ContainsKey(name) ? value.IsPresent : (bool?)null;

        internal static object Unwrap(object value) => value is PSObject wrapped && !(wrapped.BaseObject is PSCustomObject) ? wrapped.BaseObject : value;
    }
}
