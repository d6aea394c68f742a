using System.Collections.Generic;
using System.Management.Automation;

namespace KmsTools.Infrastructure
{
    /// <summary>Which input an error record names as its target: the one KMS complained about, never a secret.</summary>
    internal static class ErrorTargets
    {
        /// <summary>The value of the parameter KMS named (its member name), else the item's main input.</summary>
        public static object For(KmsException error, object defaultTarget, IDictionary<string, object> boundParameters)
        {
            // A plaintext never becomes an error's target: error records end up in $Error, transcripts and logs.
            if (error.MemberName == null || Redaction.IsSecret(error.MemberName)) return defaultTarget;
            if (boundParameters == null) return defaultTarget;
            // A list member's parameter has the singular name (GrantTokens is -GrantToken, Tags -Tag, TagKeys -TagKey).
            string singular = error.MemberName.EndsWith("s", System.StringComparison.Ordinal) ? error.MemberName.Substring(0, error.MemberName.Length - 1) : null;
            if (boundParameters.TryGetValue(error.MemberName, out object bound) || singular != null && boundParameters.TryGetValue(singular, out bound))
            {
                if (bound is SwitchParameter) return defaultTarget;
                // An endpoint's user:password never becomes a target.
                return error.MemberName == "EndpointUrl" && bound is string url ? Redaction.Endpoint(url) : bound;
            }
            return defaultTarget;
        }
    }
}
