using System.Management.Automation;
using KmsTools.Model;

namespace KmsTools.Commands
{
    /// <summary>ScheduleKeyDeletion: the key goes to PendingDeletion and is deleted, with its aliases, once the window passes.</summary>
    [Cmdlet(VerbsLifecycle.Request, "KmsKeyDeletion", DefaultParameterSetName = ParametersSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
    [OutputType(typeof(ScheduleKeyDeletionResponse))]
    public sealed class RequestKmsKeyDeletionCommand : KmsKeyCmdlet
    {
        /// <summary>Days until deletion, 7 to 30 (default 30). Stop-KmsKeyDeletion cancels within the window.</summary>
        [Parameter]
        public int? PendingWindowInDays { get; set; }

        protected override void ProcessRecord()
        {
            if (!ShouldChange(KeyId, $"Schedule deletion in {PendingWindowInDays ?? 30} days (data encrypted under it becomes unrecoverable)")) return;
            Invoke("ScheduleKeyDeletion", KeyId, () => new ScheduleKeyDeletionRequest { KeyId = KeyId, PendingWindowInDays = PendingWindowInDays }, r => KmsBackend.ScheduleKeyDeletion(r, StopToken));
        }
    }
}
