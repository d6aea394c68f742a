using System;
using System.Collections.Generic;
using System.Threading;
using KmsTools.Infrastructure;
using Xunit;

namespace KmsTools.Tests
{
    [Collection(ProcessWideState.Name)]
    public class AheadQueueTests
    {
        private sealed class Result
        {
            public byte[] Plaintext { get; set; }
            public int Item { get; set; }
        }

        [Fact]
        public void OutcomesAreDeliveredInInputOrderWhateverOrderTheWorkEnds()
        {
            var delivered = new List<int>();
            using (var queue = new AheadQueue())
            {
                // The first item is the slowest: the others end first, and still wait their turn.
                foreach (int item in new[] { 1, 2, 3, 4 })
                    queue.Add(() => { Thread.Sleep(item == 1 ? 200 : 0); return new Result { Item = item }; },
                        r => delivered.Add(r.Item), e => delivered.Add(-item), r => { });
                Assert.Equal(4, queue.Count);
                queue.DeliverUntil(2);
                Assert.Equal(new[] { 1, 2 }, delivered);
                queue.DeliverUntil(0);
            }
            Assert.Equal(new[] { 1, 2, 3, 4 }, delivered);
            Assert.Equal(0, AheadQueue.Live);
        }

        [Fact]
        public void AKmsErrorIsThatItemsOutcomeAndTheOthersGoOn()
        {
            var outcomes = new List<string>();
            using (var queue = new AheadQueue())
            {
                queue.Add(() => new Result { Item = 1 }, r => outcomes.Add("ok 1"), e => outcomes.Add("error 1"), r => { });
                queue.Add<Result>(() => throw new KmsException("NotFoundException", "Key 'x' does not exist"), r => outcomes.Add("ok 2"), e => outcomes.Add(e.ErrorCode), r => { });
                queue.Add(() => new Result { Item = 3 }, r => outcomes.Add("ok 3"), e => outcomes.Add("error 3"), r => { });
                queue.DeliverUntil(0);
            }
            Assert.Equal(new[] { "ok 1", "NotFoundException", "ok 3" }, outcomes);
        }

        [Fact]
        public void DisposingWaitsForRunningWorkAndDiscardsWhatNobodyWillSee()
        {
            var discarded = new List<byte[]>();
            var delivered = 0;
            var queue = new AheadQueue();
            for (int i = 0; i < 3; i++)
                queue.Add(() => { Thread.Sleep(50); return new Result { Plaintext = new byte[] { 1, 2, 3 } }; },
                    r => delivered++, e => { }, r => { Redaction.ZeroSecrets(r); discarded.Add(r.Plaintext); });
            Assert.Equal(3, AheadQueue.Live);
            queue.Dispose();
            Assert.Equal(0, delivered);
            Assert.Equal(3, discarded.Count);
            Assert.All(discarded, plaintext => Assert.Equal(new byte[3], plaintext));
            Assert.Equal(0, AheadQueue.Live);
        }

        [Fact]
        public void CancelledWorkIsNotAnOutcomeWhenTheQueueIsDisposed()
        {
            using (var stop = new CancellationTokenSource())
            {
                var queue = new AheadQueue();
                queue.Add<Result>(() => { stop.Token.WaitHandle.WaitOne(); stop.Token.ThrowIfCancellationRequested(); return null; }, r => { }, e => { }, r => { });
                stop.Cancel();
                queue.Dispose(); // returns: the cancelled work is nobody's outcome
                Assert.Equal(0, AheadQueue.Live);
            }
        }
    }
}
