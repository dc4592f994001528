using Graft.Kernels;

namespace Graft.Tests.Kernels;

/// <summary>The kernels' shared parallel loop: every index once, errors surfaced, nesting and concurrent callers safe.</summary>
[Trait("Category", "Kernels")]
public sealed class ParallelismTests
{
    [Fact]
    public void EveryIndexRunsExactlyOnce_ForAnyCountAndThreadCount()
    {
        int saved = Parallelism.MaxThreads;
        try
        {
            foreach (int threads in new[] { 1, 2, 3, 4 })
            {
                Parallelism.MaxThreads = threads;
                foreach (int count in new[] { 1, 2, 3, 7, 64, 1000 })
                {
                    var hits = new int[count];
                    for (int repeat = 0; repeat < 20; repeat++)
                        Parallelism.ForChunks(count, (s, e) => { for (int i = s; i < e; i++) Interlocked.Increment(ref hits[i]); }, costPerItem: 1 << 20);
                    Assert.All(hits, h => Assert.Equal(20, h));
                }
            }
        }
        finally { Parallelism.MaxThreads = saved; }
    }

    // Other test classes change MaxThreads or use the pool at the same time, so a loop may run inline as one
    // chunk: the assertions hold for any split.
    [Fact]
    public void AnExceptionInAChunkReachesTheCaller_AndThePoolStillWorks()
    {
        int saved = Parallelism.MaxThreads;
        try
        {
            Parallelism.MaxThreads = 2;
            var e = Assert.Throws<InvalidOperationException>(() =>
                Parallelism.ForChunks(2, (s, e) => { if (s <= 1 && 1 < e) throw new InvalidOperationException("chunk 1"); }, costPerItem: 1 << 20));
            Assert.Equal("chunk 1", e.Message);
            int sum = 0;
            Parallelism.ForChunks(100, (s, end) => { for (int i = s; i < end; i++) Interlocked.Add(ref sum, i); }, costPerItem: 1 << 20);
            Assert.Equal(4950, sum);
        }
        finally { Parallelism.MaxThreads = saved; }
    }

    [Fact]
    public void NestedLoopsAndConcurrentCallersFinish_WithEveryIndexOnce()
    {
        int saved = Parallelism.MaxThreads;
        try
        {
            Parallelism.MaxThreads = 2;
            const int outer = 8, inner = 50;
            var hits = new int[4, outer * inner];
            // Four threads at once (the pool serves one; the others run inline), each nesting a loop in a loop.
            var threads = Enumerable.Range(0, 4).Select(t => new Thread(() =>
            {
                for (int repeat = 0; repeat < 10; repeat++)
                    Parallelism.ForChunks(outer, (s, e) =>
                    {
                        for (int o = s; o < e; o++)
                            Parallelism.ForChunks(inner, (s2, e2) => { for (int i = s2; i < e2; i++) Interlocked.Increment(ref hits[t, o * inner + i]); }, 1 << 20);
                    }, 1 << 20);
            })).ToArray();
            foreach (var th in threads) th.Start();
            foreach (var th in threads) Assert.True(th.Join(TimeSpan.FromSeconds(60)), "a parallel loop did not finish");
            foreach (var h in hits) Assert.Equal(10, h);
        }
        finally { Parallelism.MaxThreads = saved; }
    }
}
