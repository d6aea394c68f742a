using System;
using System.Threading;
using System.Threading.Tasks;

namespace KmsTools
{
    /// <summary>
    /// Work that takes seconds (RSA key generation) run so that a cancelled caller returns at once: the work itself
    /// cannot be interrupted, so it goes on to its end on the thread pool, and its result then goes to a discard
    /// action (which zeroes it) instead of to anyone.
    /// </summary>
    internal static class SlowWork
    {
        public static T Run<T>(Func<T> work, CancellationToken cancellationToken, Action<T> discard)
        {
            if (!cancellationToken.CanBeCanceled) return work();
            cancellationToken.ThrowIfCancellationRequested();
            Task<T> task = Task.Run(work);
            try
            {
                task.Wait(cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                task.ContinueWith(done => discard(done.Result), CancellationToken.None,
                    TaskContinuationOptions.OnlyOnRanToCompletion, TaskScheduler.Default);
                throw;
            }
            catch (AggregateException)
            {
                // The work's own failure: rethrown below as itself, not wrapped.
            }
            return task.GetAwaiter().GetResult();
        }
    }
}
