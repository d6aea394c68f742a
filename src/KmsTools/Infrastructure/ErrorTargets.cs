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
            if (boundParameters != null && boundParameters.TryGetValue(error.MemberName, out object bound))
                return bound is SwitchParameter ? defaultTarget : bound;
            return defaultTarget;
        }
    }
}
