using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Runtime.ExceptionServices;
using System.Security.Cryptography;
using System.Threading;
using System.Threading.Tasks;

namespace KmsTools.Encryption
{
    /// <summary>
    /// Moves batches of frames through three stages at once, so that a file's reading, its AES-GCM and its writing
    /// (and the signature's hash, wherever it runs) overlap on the machine's cores: <c>produce</c> fills batches in
    /// order on a thread of its own, <c>transform</c> works on each batch on the thread pool (a batch per lane at a
    /// time; a message of one batch on every core), <c>consume</c> takes them on the calling thread in their order. The batches
    /// are a fixed pool, reused, so memory stays the same whatever the input's size. The first failure of any stage
    /// stops the others, and nothing is returned (or thrown) while a batch is still in use.
    /// </summary>
    internal static class FramePipeline
    {
        /// <summary>
        /// How many batches to transform at once: one per core, but one core fewer when the message is signed, as the
        /// signature's hash (<see cref="WriteWhileHashing"/>) is the one stage that cannot be split and must have a core
        /// of its own: sharing two cores among three busy threads took a third off the hash's speed and so the message's.
        /// </summary>
        public static int TransformLanes(bool signed) => Math.Max(1, Environment.ProcessorCount - (signed ? 1 : 0));

        /// <param name="produce">Fills a batch; false when it was the last one (it may still hold data).</param>
        /// <param name="lanes">How many transforms may run at once (<see cref="TransformLanes"/>).</param>
        public static void Run<TBatch>(IReadOnlyList<TBatch> pool, Func<TBatch, bool> produce, Action<TBatch> transform, Action<TBatch> consume, int lanes, CancellationToken cancellation)
            where TBatch : class
        {
            var laneTails = new Task[Math.Max(1, lanes)];
            for (int i = 0; i < laneTails.Length; i++) laneTails[i] = Task.CompletedTask;
            using (var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellation))
            using (var free = new BlockingCollection<TBatch>(new ConcurrentQueue<TBatch>(pool)))
            using (var ready = new BlockingCollection<KeyValuePair<TBatch, Task>>(pool.Count))
            {
                // The transform last started on each batch: at most one per batch, so this stays the pool's size.
                var transforms = new ConcurrentDictionary<TBatch, Task>();
                // The producer blocks (on a free batch, on a read): on a thread of its own, not one of the pool's, which
                // has a thread per core and must keep them all for the transforms (else half the cores idled).
                Task producer = Task.Factory.StartNew(() =>
                {
                    try
                    {
                        bool more = true;
                        long produced = 0;
                        while (more)
                        {
                            TBatch batch = free.Take(stop.Token);
                            more = produce(batch);
                            // Each lane takes its batches one after another, so that at most `lanes` transforms run
                            // at once and a pool thread never waits for another.
                            int lane = (int)(produced++ % laneTails.Length);
                            // After a failure or a stop the batches still queued are skipped, not worked on for nothing.
                            Task work = laneTails[lane].ContinueWith(_ =>
                            {
                                if (!stop.IsCancellationRequested) transform(batch);
                            }, CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
                            laneTails[lane] = work;
                            transforms[batch] = work;
                            ready.Add(new KeyValuePair<TBatch, Task>(batch, work), stop.Token);
                        }
                    }
                    finally
                    {
                        ready.CompleteAdding();
                    }
                }, stop.Token, TaskCreationOptions.LongRunning, TaskScheduler.Default);

                Exception failure = null;
                try
                {
                    foreach (KeyValuePair<TBatch, Task> item in ready.GetConsumingEnumerable(stop.Token))
                    {
                        Wait(item.Value);
                        // A stop may have skipped this batch's transform: it must never be consumed as if done.
                        stop.Token.ThrowIfCancellationRequested();
                        consume(item.Key);
                        free.Add(item.Key);
                    }
                    Wait(producer);
                }
                catch (Exception e)
                {
                    failure = e;
                }
                if (failure != null)
                {
                    stop.Cancel();
                    // The other stages may still hold batches: they must be done before the caller zeroes or reuses them.
                    try
                    {
                        producer.Wait();
                    }
                    catch (AggregateException)
                    {
                    }
                    try
                    {
                        Task.WaitAll(transforms.Values.ToArray());
                    }
                    catch (AggregateException)
                    {
                    }
                    ExceptionDispatchInfo.Capture(failure).Throw();
                }
            }
        }

        private static void Wait(Task task)
        {
            try
            {
                task.Wait();
            }
            catch (AggregateException e) when (e.InnerExceptions.Count == 1)
            {
                ExceptionDispatchInfo.Capture(e.InnerException).Throw();
            }
        }

        /// <summary>
        /// Writes one buffer while the signature's hash takes in another (or the same: both only read), on two cores:
        /// the hash is the one stage of a signed message that cannot be split, so it must not wait for the writes too.
        /// Returns only when both are done, whatever fails, as the caller reuses the buffers next.
        /// </summary>
        public static void WriteWhileHashing(Stream output, byte[] written, int writtenCount, IncrementalHash hash, byte[] hashed, int hashedCount)
        {
            if (hash == null || hashedCount < ParallelHashBytes || Environment.ProcessorCount < 2)
            {
                hash?.AppendData(hashed, 0, hashedCount);
                output.Write(written, 0, writtenCount);
                return;
            }
            Task hashing = Task.Run(() => hash.AppendData(hashed, 0, hashedCount));
            try
            {
                output.Write(written, 0, writtenCount);
            }
            finally
            {
                Wait(hashing);
            }
        }

        // Below this a task's start costs more than the overlap gains.
        private const int ParallelHashBytes = 256 * 1024;

        /// <summary>
        /// Runs <paramref name="work"/> over [0, count), with state of its own (a cipher) in each part: one part per core
        /// when <paramref name="split"/> (a message of one batch, whose transform has the cores to itself), else one.
        /// A batch split while other batches were in flight left a pool thread blocked on its other part while that
        /// waited for a thread: 1.2 of 2 cores used.
        /// </summary>
        public static void ForParts<TState>(int count, bool split, Func<TState> newState, Action<TState, int, int> work) where TState : IDisposable
        {
            int parts = split ? Math.Max(1, Math.Min(Environment.ProcessorCount, count / 16)) : 1;
            if (parts == 1)
            {
                using (TState state = newState()) work(state, 0, count);
                return;
            }
            Parallel.For(0, parts, part =>
            {
                int from = (int)((long)count * part / parts), to = (int)((long)count * (part + 1) / parts);
                using (TState state = newState()) work(state, from, to);
            });
        }
    }
}
