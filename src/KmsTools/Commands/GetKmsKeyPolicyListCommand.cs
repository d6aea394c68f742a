using System.Management.Automation;
using KmsTools.Model;

namespace KmsTools.Commands
{
    /// <summary>ListKeyPolicies: the names of a key's policies (all pages); KMS keys have one, default.</summary>
    [Cmdlet(VerbsCommon.Get, "KmsKeyPolicyList", DefaultParameterSetName = ParametersSet)]
    [OutputType(typeof(string))]
    public sealed class GetKmsKeyPolicyListCommand : KmsKeyListCmdlet
    {
        protected override void ProcessRecord() =>
            RunPaged("ListKeyPolicies", KeyId,
                marker => new ListKeyPoliciesRequest { KeyId = KeyId, Marker = marker },
                r => KmsBackend.ListKeyPolicies(r, StopToken),
                page => (page.PolicyNames, NextPage(page.Truncated, page.NextMarker)), singlePage: NoPaginate);
    }
}
