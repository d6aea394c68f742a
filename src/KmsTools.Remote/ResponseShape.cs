using System;
using System.Collections;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using System.Text.Json;
using KmsTools.Model;

namespace KmsTools.Remote
{
    /// <summary>
    /// Checks a 2xx body against the operation's response shape before the SDK reads it: the SDK's unmarshaller is
    /// lenient (a number where a string belongs, base64 that does not decode, a missing plaintext all come back as a
    /// "successful" response with holes). Members this module does not know are ignored, as new KMS members must be;
    /// known ones must have their model type; the members KMS always returns for the operation must be there.
    /// </summary>
    internal static class ResponseShape
    {
        /// <summary>What real KMS always returns for each operation (the API model marks no output member required).</summary>
        private static readonly Dictionary<string, string[]> AlwaysReturned = new Dictionary<string, string[]>(StringComparer.Ordinal)
        {
            ["GenerateDataKeyPairWithoutPlaintext"] = new[] { "KeyId", "KeyPairSpec", "PrivateKeyCiphertextBlob", "PublicKey" },
            ["GenerateDataKeyPair"] = new[] { "KeyId", "KeyPairSpec", "PrivateKeyCiphertextBlob", "PublicKey" },
            ["GenerateDataKey"] = new[] { "KeyId", "CiphertextBlob" },
            ["GenerateDataKeyWithoutPlaintext"] = new[] { "KeyId", "CiphertextBlob" },
            ["Encrypt"] = new[] { "KeyId", "CiphertextBlob" },
            ["Decrypt"] = new[] { "KeyId" },
            ["ReEncrypt"] = new[] { "KeyId", "CiphertextBlob" },
            ["CreateKey"] = new[] { "KeyMetadata" },
            ["DescribeKey"] = new[] { "KeyMetadata" },
            ["ListKeys"] = new[] { "Keys" },
            ["ListAliases"] = new[] { "Aliases" },
            ["GetPublicKey"] = new[] { "KeyId", "PublicKey" },
            ["ScheduleKeyDeletion"] = new[] { "KeyId" },
            ["GenerateMac"] = new[] { "KeyId", "Mac", "MacAlgorithm" },
            ["VerifyMac"] = new[] { "KeyId", "MacValid" },
            ["Sign"] = new[] { "KeyId", "Signature", "SigningAlgorithm" },
            ["DeriveSharedSecret"] = new[] { "KeyId" },
            ["Verify"] = new[] { "KeyId", "SignatureValid" },
            ["GetKeyPolicy"] = new[] { "Policy" },
            ["ListKeyPolicies"] = new[] { "PolicyNames" },
            ["CreateGrant"] = new[] { "GrantId", "GrantToken" },
            ["ListGrants"] = new[] { "Grants" },
            ["ListRetirableGrants"] = new[] { "Grants" },
            ["GetParametersForImport"] = new[] { "KeyId", "ImportToken", "PublicKey", "ParametersValidTo" },
            ["ReplicateKey"] = new[] { "ReplicaKeyMetadata" },
            ["GetKeyLastUsage"] = new[] { "KeyId" },
        };

        /// <summary>The operations whose response shape is another operation's (the model shares it).</summary>
        private static readonly Dictionary<string, string> SharedResponse = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["ListRetirableGrants"] = "ListGrants",
        };

        /// <summary>The members that carry a plaintext: present unless the request named a Recipient (then CiphertextForRecipient).</summary>
        private static readonly Dictionary<string, string> PlaintextMember = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["GenerateDataKeyPair"] = "PrivateKeyPlaintext",
            ["GenerateDataKey"] = "Plaintext",
            ["Decrypt"] = "Plaintext",
            ["GenerateRandom"] = "Plaintext",
            ["DeriveSharedSecret"] = "SharedSecret",
        };

        private static readonly ConcurrentDictionary<Type, Dictionary<string, PropertyInfo>> Members =
            new ConcurrentDictionary<Type, Dictionary<string, PropertyInfo>>();

        /// <summary>Null when <paramref name="body"/> is a well-formed response of <paramref name="operation"/>, else what is wrong (never a value).</summary>
        public static string Problem(string operation, byte[] body)
        {
            Type responseType = typeof(KeyMetadata).Assembly.GetType("KmsTools.Model." + (SharedResponse.TryGetValue(operation, out string shared) ? shared : operation) + "Response");
            // A void operation's answer is empty or {} (moto sends either); the SDK reads nothing from it.
            if (responseType == null || typeof(IEmptyResponse).IsAssignableFrom(responseType)) return null;
            JsonDocument document;
            try
            {
                document = JsonDocument.Parse(body.Length == 0 ? new byte[] { (byte)'{', (byte)'}' } : body);
            }
            catch (JsonException e)
            {
                return "the body is not JSON (" + e.Message.Split('.')[0] + ")";
            }
            using (document)
            {
                if (document.RootElement.ValueKind != JsonValueKind.Object) return "the body is not a JSON object";
                string problem = Check(document.RootElement, responseType, string.Empty);
                if (problem != null) return problem;
                var present = new HashSet<string>(document.RootElement.EnumerateObject().Where(p => p.Value.ValueKind != JsonValueKind.Null).Select(p => p.Name), StringComparer.Ordinal);
                if (AlwaysReturned.TryGetValue(operation, out string[] required))
                    foreach (string member in required)
                        if (!present.Contains(member)) return $"it lacks {member}, which KMS always returns";
                if (PlaintextMember.TryGetValue(operation, out string plaintext) && !present.Contains(plaintext) && !present.Contains("CiphertextForRecipient"))
                    return $"it lacks {plaintext}, which KMS always returns";
                return null;
            }
        }

        private static string Check(JsonElement value, Type type, string path)
        {
            if (value.ValueKind == JsonValueKind.Null) return null;
            Type underlying = Nullable.GetUnderlyingType(type) ?? type;
            if (underlying == typeof(string))
                return value.ValueKind == JsonValueKind.String ? null : $"{path} is a JSON {Kind(value)}, not a string";
            if (underlying == typeof(byte[]))
            {
                if (value.ValueKind != JsonValueKind.String) return $"{path} is a JSON {Kind(value)}, not base64";
                return value.TryGetBytesFromBase64(out _) ? null : $"{path} is not valid base64";
            }
            if (underlying == typeof(bool))
                return value.ValueKind == JsonValueKind.True || value.ValueKind == JsonValueKind.False ? null : $"{path} is a JSON {Kind(value)}, not a boolean";
            if (underlying == typeof(int))
                return value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out _) ? null : $"{path} is not a 32-bit integer";
            if (underlying == typeof(long))
                return value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out _) ? null : $"{path} is not an integer";
            if (underlying == typeof(DateTime))
                // KMS's JSON 1.1 protocol sends timestamps as epoch seconds.
                return value.ValueKind == JsonValueKind.Number && value.TryGetDouble(out _) ? null : $"{path} is a JSON {Kind(value)}, not a timestamp";
            if (underlying.IsGenericType && typeof(IDictionary).IsAssignableFrom(underlying))
            {
                if (value.ValueKind != JsonValueKind.Object) return $"{path} is a JSON {Kind(value)}, not a map";
                Type valueType = underlying.GetGenericArguments()[1];
                foreach (JsonProperty entry in value.EnumerateObject())
                {
                    string problem = Check(entry.Value, valueType, path + "." + entry.Name);
                    if (problem != null) return problem;
                }
                return null;
            }
            if (underlying.IsGenericType && typeof(IList).IsAssignableFrom(underlying))
            {
                if (value.ValueKind != JsonValueKind.Array) return $"{path} is a JSON {Kind(value)}, not a list";
                Type itemType = underlying.GetGenericArguments()[0];
                int index = 0;
                foreach (JsonElement item in value.EnumerateArray())
                {
                    string problem = Check(item, itemType, $"{path}[{index++}]");
                    if (problem != null) return problem;
                }
                return null;
            }
            if (underlying.IsClass)
            {
                if (value.ValueKind != JsonValueKind.Object) return $"{(path.Length == 0 ? "the body" : path)} is a JSON {Kind(value)}, not a structure";
                Dictionary<string, PropertyInfo> members = Members.GetOrAdd(underlying, t =>
                    t.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite).ToDictionary(p => p.Name, StringComparer.Ordinal));
                foreach (JsonProperty member in value.EnumerateObject())
                {
                    if (!members.TryGetValue(member.Name, out PropertyInfo property)) continue;
                    string problem = Check(member.Value, property.PropertyType, path.Length == 0 ? member.Name : path + "." + member.Name);
                    if (problem != null) return problem;
                }
                return null;
            }
            return null;
        }

        private static string Kind(JsonElement value) => value.ValueKind switch
        {
            JsonValueKind.True or JsonValueKind.False => "boolean",
            _ => value.ValueKind.ToString().ToLowerInvariant(),
        };
    }
}
