namespace Graft.Tests.Kernels;

/// <summary>Compares float buffers with a relative-plus-absolute tolerance and reports the worst element and the first values.</summary>
internal static class ConvAssert
{
    public static void Close(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual, float tol, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        int worst = -1;
        double worstDiff = 0;
        for (int i = 0; i < expected.Length; i++)
        {
            double d = Math.Abs(expected[i] - actual[i]);
            if (!(d <= tol * (1 + Math.Abs(expected[i]))) && (worst < 0 || d > worstDiff || double.IsNaN(d))) { worst = i; worstDiff = d; }
        }
        if (worst >= 0)
        {
            int n = Math.Min(6, expected.Length);
            throw new Xunit.Sdk.XunitException(
                $"{what}: max difference {worstDiff:G4} at [{worst}] (expected {expected[worst]:G6}, got {actual[worst]:G6}).\n" +
                $"  expected[..{n}]: {string.Join(", ", expected[..n].ToArray().Select(v => v.ToString("G5")))}\n" +
                $"  actual[..{n}]:   {string.Join(", ", actual[..n].ToArray().Select(v => v.ToString("G5")))}");
        }
    }

    public static float[] Random(int length, Random rng)
    {
        var a = new float[length];
        for (int i = 0; i < a.Length; i++) a[i] = (float)(rng.NextDouble() * 2 - 1);
        return a;
    }
}
