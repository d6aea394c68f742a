using System.Management.Automation;
using KmsTools.Model;

namespace KmsTools.Commands
{
    /// <summary>GetKeyPolicy: the key policy document of a key, as JSON text (AWS's default policy for a key created without one).</summary>
    [Cmdlet(VerbsCommon.Get, "KmsKeyPolicy", DefaultParameterSetName = ParametersSet)]
    [OutputType(typeof(string))]
    public sealed class GetKmsKeyPolicyCommand : KmsKeyCmdlet
    {
        /// <summary>The only policy name KMS has: default (also when omitted).</summary>
        [Parameter(Position = 1, ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(Infrastructure.PolicyNameCompleter))]
        public string PolicyName { get; set; }

        protected override void ProcessRecord() =>
            Invoke("GetKeyPolicy", KeyId, () => new GetKeyPolicyRequest { KeyId = KeyId, PolicyName = PolicyName },
                r => KmsBackend.GetKeyPolicy(WithDefaultName(r), StopToken), r => r.Policy);

        /// <summary>
        /// KMS takes an omitted PolicyName as default; endpoints that follow the older API (moto) need it said, so it is
        /// said when neither the command line nor -CliInputJson gives one.
        /// </summary>
        internal static GetKeyPolicyRequest WithDefaultName(GetKeyPolicyRequest request)
        {
            request.PolicyName = request.PolicyName ?? "default";
            return request;
        }
    }
}
