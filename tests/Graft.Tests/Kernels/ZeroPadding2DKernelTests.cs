using Graft.Kernels;

namespace Graft.Tests.Kernels;

public class ZeroPadding2DKernelTests
{
    [Fact]
    public void PadsAndUnpads()
    {
        // x: (2, 1, 2, 1) → (2, 1 + 1 + 0, 2 + 0 + 2, 1)
        var x = new float[] { 1, 2, 3, 4 };
        var y = Enumerable.Repeat(9f, 2 * 2 * 4).ToArray();
        ZeroPadding2DKernels.Forward(2, 1, 2, 1, 1, 0, 0, 2, x, y);
        Assert.Equal(new float[] { 0, 0, 0, 0, 1, 2, 0, 0, 0, 0, 0, 0, 3, 4, 0, 0 }, y);
        var dy = Enumerable.Range(0, 16).Select(i => (float)i).ToArray();
        var dx = new float[4];
        ZeroPadding2DKernels.Backward(2, 1, 2, 1, 1, 0, 0, 2, dy, dx);
        Assert.Equal(new float[] { 4, 5, 12, 13 }, dx);
    }
}
