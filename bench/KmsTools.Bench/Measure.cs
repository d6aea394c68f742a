using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;

namespace KmsTools.Bench
{
    /// <summary>A plain repeated-Stopwatch harness: median and spread of per-call times, after a warm-up.</summary>
    internal sealed class Timing
    {
        public Timing(string name, IReadOnlyList<double> microseconds)
        {
            Name = name;
            var sorted = microseconds.OrderBy(x => x).ToArray();
            Median = sorted[sorted.Length / 2];
            P10 = sorted[sorted.Length / 10];
            P90 = sorted[sorted.Length * 9 / 10];
            Samples = sorted.Length;
            All = sorted;
        }

        public IReadOnlyList<double> All { get; }

        public string Name { get; }
        public double Median { get; }
        public double P10 { get; }
        public double P90 { get; }
        public int Samples { get; }

        public static Timing Of(string name, int samples, Action action, int warmup = 50)
        {
            for (int i = 0; i < warmup; i++) action();
            var times = new double[samples];
            var watch = new Stopwatch();
            for (int i = 0; i < samples; i++)
            {
                watch.Restart();
                action();
                times[i] = watch.Elapsed.TotalMilliseconds * 1000;
            }
            return new Timing(name, times);
        }
    }
}
