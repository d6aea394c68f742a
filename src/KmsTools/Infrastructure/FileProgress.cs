using System.Diagnostics;
using System.Management.Automation;

namespace KmsTools.Infrastructure
{
    /// <summary>
    /// Write-Progress for one large file: a record at most every quarter second, none at all for files under 16 MiB
    /// (they are done before a bar could be read), and the bar closed when the file is done or failed.
    /// </summary>
    internal sealed class FileProgress
    {
        private const long MinimumLength = 16L << 20;
        private static int _nextActivityId = 7200;

        private readonly Cmdlet _cmdlet;
        private readonly ProgressRecord _record;
        private readonly long _total;
        private readonly Stopwatch _clock = Stopwatch.StartNew();
        private long _lastReport = -1;

        public FileProgress(Cmdlet cmdlet, string activity, string fileName, long total)
        {
            _cmdlet = cmdlet;
            _total = total;
            if (total >= MinimumLength)
                _record = new ProgressRecord(System.Threading.Interlocked.Increment(ref _nextActivityId), activity, fileName);
        }

        /// <summary>Called on the pipeline thread (the only one that may write progress).</summary>
        public void Report(long done)
        {
            if (_record == null) return;
            long now = _clock.ElapsedMilliseconds;
            if (_lastReport >= 0 && now - _lastReport < 250) return;
            _lastReport = now;
            int percent = _total > 0 ? (int)(done * 100 / _total) : 0;
            _record.PercentComplete = percent > 100 ? 100 : percent;
            _record.StatusDescription = $"{done >> 20} of {_total >> 20} MiB";
            if (now > 1000 && done > 0) _record.SecondsRemaining = (int)((_total - done) * (now / 1000.0) / done);
            _cmdlet.WriteProgress(_record);
        }

        public void Complete()
        {
            if (_record == null || _lastReport < 0) return;
            _record.RecordType = ProgressRecordType.Completed;
            _cmdlet.WriteProgress(_record);
        }
    }
}
