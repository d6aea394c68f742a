using System;
using System.Text.RegularExpressions;

namespace KmsTools.Local
{
    /// <summary>Region and partition rules shared by the local engine and the cmdlets.</summary>
    public static class AwsRegion
    {
        public const string Default = "us-east-1";
        private static readonly Regex RegionPattern = new Regex("^[a-z]{2}(-[a-z]+)+-[0-9]+$", RegexOptions.CultureInvariant);

        /// <summary>The explicit region, else AWS_REGION, else AWS_DEFAULT_REGION, else the profile's region, else us-east-1.</summary>
        public static string Resolve(string explicitRegion, string profileRegion = null)
        {
            foreach (var candidate in new[]
                     {
                         explicitRegion, Environment.GetEnvironmentVariable("AWS_REGION"),
                         Environment.GetEnvironmentVariable("AWS_DEFAULT_REGION"), profileRegion,
                     })
            {
                if (!string.IsNullOrWhiteSpace(candidate))
                    return candidate.Trim();
            }
            return Default;
        }

        public static bool IsValid(string region) => region != null && RegionPattern.IsMatch(region);

        /// <summary>aws-cn for China regions, aws-us-gov for GovCloud, else aws.</summary>
        public static string PartitionOf(string region)
        {
            if (region.StartsWith("cn-", StringComparison.Ordinal)) return "aws-cn";
            if (region.StartsWith("us-gov-", StringComparison.Ordinal)) return "aws-us-gov";
            return "aws";
        }

        /// <summary>SM2 exists only in the China regions.</summary>
        public static bool SupportsSm2(string region) => region.StartsWith("cn-", StringComparison.Ordinal);
    }
}
