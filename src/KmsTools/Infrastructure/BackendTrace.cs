using System;
using System.Collections.Concurrent;
using System.Threading;

namespace KmsTools.Infrastructure
{
    /// <summary>
    /// The backend's own trace (the remote backend's wire steps) as -Debug lines. Calls computed ahead run on other
    /// threads, where PowerShell refuses WriteDebug: their lines wait here and are written, in order, with the item's
    /// outcome on the pipeline thread.
    /// </summary>
    internal sealed class BackendTrace
    {
        private readonly ConcurrentQueue<string> _waiting = new ConcurrentQueue<string>();
        private readonly Action<string> _writeDebug;
        private readonly int _pipelineThread;

        /// <summary>Made on the pipeline thread, which is the only one <paramref name="writeDebug"/> may be called on.</summary>
        public BackendTrace(Action<string> writeDebug)
        {
            _writeDebug = writeDebug;
            _pipelineThread = Thread.CurrentThread.ManagedThreadId;
        }

        public void Write(string message)
        {
            if (Thread.CurrentThread.ManagedThreadId == _pipelineThread) _writeDebug(message);
            else _waiting.Enqueue(message);
        }

        /// <summary>Writes the lines of calls made on other threads; on the pipeline thread only.</summary>
        public void Flush()
        {
            while (_waiting.TryDequeue(out string message)) _writeDebug(message);
        }
    }
}
