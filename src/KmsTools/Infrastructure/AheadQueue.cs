using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace KmsTools.Infrastructure
{
    /// <summary>
    /// Pipeline items whose backend call runs on other cores while the pipeline delivers the next items (RSA key
    /// pairs, seconds each). Outcomes are delivered in the order the items came, on the caller's thread, so output
    /// order and -Verbose/-Debug stay where PowerShell wants them. Disposing the queue (a stopped pipeline) waits for
    /// the work still running (its calls are cancelled by the owner's token, so that is prompt) and discards
    /// every result nobody will see, which zeroes its secrets.
    /// </summary>
    internal sealed class AheadQueue : IDisposable
    {
        private static int _live;
        private readonly Queue<Pending> _pending = new Queue<Pending>();

        /// <summary>Items started and not yet delivered or discarded, in every queue of the process (for tests).</summary>
        public static int Live => Volatile.Read(ref _live);

        public int Count => _pending.Count;

        /// <summary>Starts <paramref name="work"/> on the thread pool; its outcome waits its turn.</summary>
        public void Add<T>(Func<T> work, Action<T> deliver, Action<KmsException> fail, Action<T> discard) where T : class
        {
            Interlocked.Increment(ref _live);
            _pending.Enqueue(new Pending(Task.Run<object>(() => work()), r => deliver((T)r), fail, r => discard((T)r)));
        }

        /// <summary>Delivers outcomes, oldest first, until at most <paramref name="keep"/> are pending.</summary>
        public void DeliverUntil(int keep)
        {
            while (_pending.Count > keep)
            {
                Pending oldest = _pending.Dequeue();
                Interlocked.Decrement(ref _live);
                object result;
                try
                {
                    result = oldest.Work.GetAwaiter().GetResult();
                }
                catch (KmsException e)
                {
                    oldest.Fail(e);
                    continue;
                }
                oldest.Deliver(result);
            }
        }

        /// <summary>Waits for the work still running and discards what it made.</summary>
        public void Dispose()
        {
            while (_pending.Count > 0)
            {
                Pending abandoned = _pending.Dequeue();
                Interlocked.Decrement(ref _live);
                try
                {
                    object result = abandoned.Work.GetAwaiter().GetResult();
                    if (result != null) abandoned.Discard(result);
                }
                catch (Exception e) when (e is KmsException || e is OperationCanceledException)
                {
                    // Nobody is waiting for this item's outcome any more.
                }
            }
        }

        private sealed class Pending
        {
            public Pending(Task<object> work, Action<object> deliver, Action<KmsException> fail, Action<object> discard)
            {
                Work = work;
                Deliver = deliver;
                Fail = fail;
                Discard = discard;
            }

            public Task<object> Work { get; }
            public Action<object> Deliver { get; }
            public Action<KmsException> Fail { get; }
            public Action<object> Discard { get; }
        }
    }
}
