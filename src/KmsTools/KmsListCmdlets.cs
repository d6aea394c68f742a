using System.Management.Automation;

namespace KmsTools.Commands
{
    /// <summary>The cmdlets over KMS list operations that need no key (ListKeys, ListAliases): all pages by default, as the AWS CLI does.</summary>
    public abstract class KmsListCmdlet : KmsCmdlet
    {
        /// <summary>Only the first page (--no-paginate); -Verbose says where the next one starts.</summary>
        [Parameter]
        public SwitchParameter NoPaginate { get; set; }
    }

    /// <summary>The cmdlets over KMS list operations of one key (ListKeyRotations, ListResourceTags): -KeyId as every key cmdlet has it, all pages by default.</summary>
    public abstract class KmsKeyListCmdlet : KmsKeyCmdlet
    {
        /// <summary>Only the first page (--no-paginate); -Verbose says where the next one starts.</summary>
        [Parameter]
        public SwitchParameter NoPaginate { get; set; }
    }
}
