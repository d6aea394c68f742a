using System;
using System.Collections;
using System.Collections.Generic;
using System.Management.Automation;
using KmsTools.Model;

namespace KmsTools.Infrastructure
{
    /// <summary>
    /// New-KmsGrant's constraints: -Constraints as the aws CLI's --constraints (a map with EncryptionContextEquals and/or
    /// EncryptionContextSubset, as a hashtable, an object or JSON), or the two as parameters of their own; each
    /// context in any form -EncryptionContext takes.
    /// </summary>
    internal static class GrantConstraintsArgument
    {
        private static readonly string[] Members = { nameof(GrantConstraints.EncryptionContextEquals), nameof(GrantConstraints.EncryptionContextSubset) };

        public static GrantConstraints ToConstraints(object constraints, object equals, object subset)
        {
            var result = new GrantConstraints();
            if (constraints != null)
            {
                IDictionary map = AsMap(ParameterValues.Unwrap(constraints));
                foreach (DictionaryEntry entry in map)
                {
                    string name = Array.Find(Members, m => string.Equals(m, entry.Key?.ToString(), StringComparison.OrdinalIgnoreCase))
                                  ?? throw new KmsException(KmsErrorCodes.Validation,
                                      $"Unknown grant constraint '{entry.Key}': the constraints are EncryptionContextEquals and EncryptionContextSubset.", "Constraints");
                    Dictionary<string, string> context = ParameterValues.ToEncryptionContext(entry.Value);
                    if (name == Members[0]) result.EncryptionContextEquals = context;
                    else result.EncryptionContextSubset = context;
                }
            }
            if (equals != null) result.EncryptionContextEquals = ParameterValues.ToEncryptionContext(equals);
            if (subset != null) result.EncryptionContextSubset = ParameterValues.ToEncryptionContext(subset);
            return result.EncryptionContextEquals == null && result.EncryptionContextSubset == null ? null : result;
        }

        private static IDictionary AsMap(object value)
        {
            switch (value)
            {
                case IDictionary dictionary:
                    return dictionary;
                case PSObject custom when custom.BaseObject is PSCustomObject:
                    var properties = new System.Collections.Specialized.OrderedDictionary(StringComparer.OrdinalIgnoreCase);
                    foreach (PSPropertyInfo property in custom.Properties) properties[property.Name] = property.Value;
                    return properties;
                case string json:
                    try
                    {
                        var parsed = Newtonsoft.Json.Linq.JObject.Parse(json);
                        var members = new System.Collections.Specialized.OrderedDictionary(StringComparer.OrdinalIgnoreCase);
                        foreach (var property in parsed.Properties()) members[property.Name] = property.Value.ToString(Newtonsoft.Json.Formatting.None);
                        return members;
                    }
                    catch (Newtonsoft.Json.JsonException)
                    {
                        break;
                    }
            }
            throw new KmsException(KmsErrorCodes.Validation,
                "The grant constraints are not valid: pass a hashtable such as @{ EncryptionContextSubset = @{ app = 'billing' } }, or its JSON, or use -EncryptionContextSubset/-EncryptionContextEquals.", "Constraints");
        }
    }
}
