using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using KmsTools.Infrastructure;
using KmsTools.Model;

using static KmsTools.Infrastructure.ParameterValues;

namespace KmsTools.Commands
{
    /// <summary>
    /// DescribeKey for one key; without KeyId, every key of the region (ListKeys, all pages, then DescribeKey); with a
    /// wildcard KeyId, the keys whose id, ARN or one of whose aliases match it, as Get-ChildItem filters names.
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "KmsKey", DefaultParameterSetName = ListSet)]
    [OutputType(typeof(KeyMetadata))]
    public sealed class GetKmsKeyCommand : KmsListCmdlet
    {
        private const string ListSet = "List";
        private const string DescribeSet = "Describe";

        [Parameter(ParameterSetName = DescribeSet, Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Parameter(ParameterSetName = CliInputJsonSet, Position = 0, ValueFromPipelineByPropertyName = true)]
        [AllowEmptyString]
        [SupportsWildcards]
        [ArgumentCompleter(typeof(KeyIdCompleter))]
        public string KeyId { get; set; }

        [Parameter(ParameterSetName = DescribeSet)]
        [Parameter(ParameterSetName = CliInputJsonSet)]
        [Alias("GrantTokens")]
        public string[] GrantToken { get; set; }

        /// <summary>Keys per ListKeys page, 1 to 1000. With -Limit or -Marker only that one page is returned.</summary>
        [Parameter(ParameterSetName = ListSet)]
        [ValidateRange(1, 1000)]
        public int? Limit { get; set; }

        /// <summary>Where a page starts: the NextMarker that -Verbose reports for the previous page.</summary>
        [Parameter(ParameterSetName = ListSet)]
        public string Marker { get; set; }

        protected override void ProcessRecord()
        {
            if (ParameterSetName == DescribeSet && WildcardPattern.ContainsWildcardCharacters(KeyId))
            {
                DescribeMatching(new WildcardPattern(KeyId, WildcardOptions.IgnoreCase | WildcardOptions.CultureInvariant));
                return;
            }
            if (ParameterSetName != ListSet)
            {
                Invoke("DescribeKey", KeyId, () => new DescribeKeyRequest { KeyId = KeyId, GrantTokens = ToList(GrantToken) }, r => KmsBackend.DescribeKey(r, StopToken), r => r.KeyMetadata);
                return;
            }
            bool singlePage = NoPaginate || Limit != null || Marker != null;
            RunPaged("ListKeys", null,
                marker => new ListKeysRequest { Limit = Limit, Marker = marker },
                r => KmsBackend.ListKeys(r, StopToken),
                page => (page.Keys, NextPage(page.Truncated, page.NextMarker)),
                Marker, singlePage,
                entry => Invoke("DescribeKey", entry.KeyId, () => new DescribeKeyRequest { KeyId = entry.KeyId }, r => KmsBackend.DescribeKey(r, StopToken), r => r.KeyMetadata));
        }

        /// <summary>Every key whose id, ARN or alias name matches; none is no error, as with Get-ChildItem.</summary>
        private void DescribeMatching(WildcardPattern pattern)
        {
            var aliases = new Dictionary<string, List<string>>(StringComparer.Ordinal);
            string marker = null;
            try
            {
                do
                {
                    ListAliasesResponse page = KmsBackend.ListAliases(new ListAliasesRequest { Marker = marker }, StopToken);
                    foreach (AliasListEntry alias in page.Aliases.Where(a => a.TargetKeyId != null))
                    {
                        if (!aliases.TryGetValue(alias.TargetKeyId, out List<string> names)) aliases[alias.TargetKeyId] = names = new List<string>();
                        names.Add(alias.AliasName);
                    }
                    marker = NextPage(page.Truncated, page.NextMarker);
                } while (marker != null);
                marker = null;
                do
                {
                    ListKeysResponse page = KmsBackend.ListKeys(new ListKeysRequest { Marker = marker }, StopToken);
                    foreach (KeyListEntry entry in page.Keys)
                    {
                        bool matches = pattern.IsMatch(entry.KeyId) || (entry.KeyArn != null && pattern.IsMatch(entry.KeyArn))
                            || (aliases.TryGetValue(entry.KeyId, out List<string> names) && names.Any(pattern.IsMatch));
                        if (matches)
                            Invoke("DescribeKey", entry.KeyId, () => new DescribeKeyRequest { KeyId = entry.KeyId, GrantTokens = ToList(GrantToken) },
                                r => KmsBackend.DescribeKey(r, StopToken), r => r.KeyMetadata);
                    }
                    marker = NextPage(page.Truncated, page.NextMarker);
                } while (marker != null);
            }
            catch (KmsException e)
            {
                WriteKmsError(e, KeyId);
            }
        }
    }
}
