using System.Management.Automation;
using KmsTools.Infrastructure;
using KmsTools.Model;

using static KmsTools.Infrastructure.ParameterValues;

namespace KmsTools.Commands
{
    /// <summary>CreateGrant: lets a principal use a key for the operations named, optionally only with a given encryption context.</summary>
    [Cmdlet(VerbsCommon.New, "KmsGrant", DefaultParameterSetName = ParametersSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
    [OutputType(typeof(CreateGrantResponse))]
    public sealed class NewKmsGrantCommand : KmsKeyCmdlet
    {
        /// <summary>The ARN of the principal the grant is for (arn:aws:iam::111122223333:role/app, an account root, ...).</summary>
        [Parameter(Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true, ParameterSetName = ParametersSet)]
        [Parameter(Position = 1, ValueFromPipelineByPropertyName = true, ParameterSetName = CliInputJsonSet)]
        [AllowEmptyString]
        public string GranteePrincipal { get; set; }

        /// <summary>The operations the grant allows (Encrypt, Decrypt, GenerateDataKey, ...).</summary>
        [Parameter(Mandatory = true, Position = 2, ValueFromPipelineByPropertyName = true, ParameterSetName = ParametersSet)]
        [Parameter(Position = 2, ValueFromPipelineByPropertyName = true, ParameterSetName = CliInputJsonSet)]
        [AllowEmptyCollection]
        [Alias("Operations")]
        [ArgumentCompleter(typeof(GrantOperationCompleter))]
        public string[] Operation { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        public string RetiringPrincipal { get; set; }

        /// <summary>The grant constraints as the aws CLI's --constraints takes them: @{ EncryptionContextSubset = @{ app = 'billing' } }.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("Constraint")]
        public object Constraints { get; set; }

        /// <summary>The grant allows its operations only with exactly this encryption context (the constraint EncryptionContextEquals).</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        public object EncryptionContextEquals { get; set; }

        /// <summary>The grant allows its operations only with an encryption context that has these pairs (the constraint EncryptionContextSubset).</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        public object EncryptionContextSubset { get; set; }

        /// <summary>A name that makes retries safe: CreateGrant with the same name and parameters returns the same grant.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        public string Name { get; set; }

        [Parameter]
        [Alias("GrantTokens")]
        public string[] GrantToken { get; set; }

        [Parameter]
        public SwitchParameter DryRun { get; set; }

        protected override void ProcessRecord()
        {
            if (!ShouldChange(KeyId, $"Grant {GranteePrincipal} {string.Join(", ", Operation ?? new string[0])}")) return;
            Invoke("CreateGrant", KeyId, () => new CreateGrantRequest
            {
                KeyId = KeyId,
                GranteePrincipal = GranteePrincipal,
                RetiringPrincipal = RetiringPrincipal,
                Operations = ToList(Operation),
                Constraints = GrantConstraintsArgument.ToConstraints(Constraints, EncryptionContextEquals, EncryptionContextSubset),
                Name = Name,
                GrantTokens = ToList(GrantToken),
                DryRun = ToDryRun(DryRun, MyInvocation.BoundParameters),
            }, r => KmsBackend.CreateGrant(r, StopToken));
        }
    }
}
